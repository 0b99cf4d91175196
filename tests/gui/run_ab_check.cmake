# A/B against single-model runs through the real studio (cmake -P): the final states' hashes in
# the reports must match bit for bit. Inputs: RRCNN, XVFB_RUN, SRC (tests/gui), WORK, MAKE_GRID
# (the helper that writes a checkpoint of another grid, which must be refused in one line).
#   alone-seed, alone-lite: each model alone; ab: seed (A) beside lite (B); swap: the same swapped;
#   snap: B a snapshot taken while A trains; snap-alone: that snapshot (saved) alone.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${RRCNN}" train --backend cpu --preset lite --steps 3 --batch 2
                        --out "${WORK}/lite.safetensors" --no-log
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "training the lite checkpoint failed: ${err}")
endif()
execute_process(COMMAND "${MAKE_GRID}" "${WORK}/grid20.safetensors" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not make the 20x20 checkpoint (${rc})")
endif()

function(run name script)
  set(report "${WORK}/${name}.json")
  execute_process(
    COMMAND "${XVFB_RUN}" -a -s "-screen 0 1280x800x24"
            "${RRCNN}" gui --backend cpu --width 1280 --height 800 --frames 30 --batch 2
            --script "${SRC}/${script}" --report "${report}" --config-dir "${WORK}/config-${name}"
            ${ARGN}
    WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
    TIMEOUT 170)
  if(NOT EXISTS "${report}")
    message(FATAL_ERROR "${name}: no report (exit code ${rc})\n${out}${err}")
  endif()
  file(READ "${report}" json)
  string(JSON nerr LENGTH "${json}" errors)
  string(JSON nfail LENGTH "${json}" script_failures)
  if(NOT nerr EQUAL 0 OR NOT nfail EQUAL 0 OR NOT rc EQUAL 0)
    message(FATAL_ERROR "${name}: exit ${rc}, ${nerr} errors, ${nfail} failed asserts:\n${json}")
  endif()
  string(JSON step GET "${json}" live_step)
  if(NOT step EQUAL 30)
    message(FATAL_ERROR "${name}: live step ${step}, expected 30")
  endif()
  foreach(f a_state_hash b_state_hash on snapshot_step b_curve_steps)
    string(JSON v GET "${json}" ab ${f})
    set(${name}_${f} "${v}" PARENT_SCOPE)
    set(${name}_${f} "${v}")
  endforeach()
  string(JSON v GET "${json}" train_step)
  set(${name}_train_step "${v}" PARENT_SCOPE)
  message(STATUS "${name}: A ${${name}_a_state_hash}, B ${${name}_b_state_hash}, train step ${v}")
endfunction()

function(same what x y)
  if(NOT "${x}" STREQUAL "${y}" OR "${x}" STREQUAL "")
    message(FATAL_ERROR "${what}: '${x}' != '${y}'")
  endif()
  message(STATUS "${what}: ${x}")
endfunction()

run(alone_seed ab_alone.script)
run(alone_lite ab_alone.script --ckpt "${WORK}/lite.safetensors")
run(ab ab.script)
run(swap ab_swap.script)
run(snap ab_snapshot.script --ckpt "${WORK}/lite.safetensors")
run(snap_alone ab_alone.script --ckpt "${WORK}/snap.safetensors")

same("A/B: A (seed) as alone" "${ab_a_state_hash}" "${alone_seed_a_state_hash}")
same("A/B: B (lite) as alone" "${ab_b_state_hash}" "${alone_lite_a_state_hash}")
same("swapped: A (lite) as alone" "${swap_a_state_hash}" "${alone_lite_a_state_hash}")
same("swapped: B (seed) as alone" "${swap_b_state_hash}" "${alone_seed_a_state_hash}")
same("snapshot B as the saved snapshot alone" "${snap_b_state_hash}" "${snap_alone_a_state_hash}")
if("${ab_a_state_hash}" STREQUAL "${ab_b_state_hash}" OR
   "${snap_a_state_hash}" STREQUAL "${snap_b_state_hash}")
  message(FATAL_ERROR "A and B ended in the same state: the comparison proves nothing")
endif()
if(NOT ab_b_curve_steps EQUAL 31)
  message(FATAL_ERROR "B's error curve has ${ab_b_curve_steps} steps, expected 31 (0..30)")
endif()
# The snapshot was taken while training ran, and training went on after it.
if(NOT snap_snapshot_step GREATER 2 OR NOT snap_train_step GREATER snap_snapshot_step)
  message(FATAL_ERROR "snapshot at step ${snap_snapshot_step}, training reached ${snap_train_step}")
endif()
if(NOT alone_seed_on STREQUAL "OFF" OR NOT ab_on STREQUAL "ON")  # string(JSON) says ON/OFF
  message(FATAL_ERROR "A/B on/off in the reports: alone ${alone_seed_on}, ab ${ab_on}")
endif()
# Another grid: refused with one line naming both grids, and A/B stays off until lite loads.
file(READ "${WORK}/ab.json" json)
string(JSON msg GET "${json}" expected_errors 0 message)
if(NOT msg MATCHES "grid20[.]safetensors: cannot run beside A: grid 28x28 vs 20x20")
  message(FATAL_ERROR "the grid error says: ${msg}")
endif()
message(STATUS "A/B check passed")
