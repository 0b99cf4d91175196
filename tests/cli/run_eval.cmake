# Trains a `lite` model for 2 steps, runs `rrcnn eval` with every part on a few digits as JSON
# and checks the keys tools/quality/ reads; then checks that bad flags fail with a message.
# Inputs: RRCNN (the executable), WORK (a scratch folder).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(ckpt "${WORK}/lite.safetensors")
execute_process(COMMAND "${RRCNN}" train --preset lite --steps 2 --quiet --threads 1 --out "${ckpt}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "training the lite model failed (${rc}):\n${out}${err}")
endif()

execute_process(COMMAND "${RRCNN}" eval --ckpt "${ckpt}" --count 3 --batch 2 --threads 1 --json
                        --baselines --tune-count 20 --persistence --at 4,8 --repair --damage-step 4
                        --recover-steps 4 --per-step --steps 6 --alphas 0.5,-1
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 240)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rrcnn eval failed (${rc}):\n${out}${err}")
endif()
string(JSON n_levels LENGTH "${out}" baselines levels)
if(NOT n_levels EQUAL 4)
  message(FATAL_ERROR "--baselines: expected 4 noise levels, got ${n_levels}:\n${out}")
endif()
string(JSON n_methods LENGTH "${out}" baselines levels 3 methods)
string(JSON last_alpha GET "${out}" baselines levels 3 alpha)
if(NOT n_methods EQUAL 8 OR NOT last_alpha STREQUAL "random")
  message(FATAL_ERROR "--baselines: expected 8 methods at level 'random', got ${n_methods} at '${last_alpha}'")
endif()
string(JSON sigma GET "${out}" baselines levels 0 blur_sigma)
string(JSON psnr GET "${out}" baselines levels 0 methods 4 psnr)
string(JSON step GET "${out}" persistence steps 1 step)
string(JSON frac GET "${out}" repair recovered_vs_undamaged)
string(JSON n_steps LENGTH "${out}" per_step levels 1 psnr)
if(NOT step EQUAL 8 OR NOT n_steps EQUAL 7 OR sigma LESS_EQUAL 0 OR psnr LESS_EQUAL 0)
  message(FATAL_ERROR "unexpected values (step ${step}, per-step length ${n_steps}, sigma ${sigma}, psnr ${psnr}):\n${out}")
endif()
message(STATUS "eval JSON ok: sigma ${sigma}, model PSNR ${psnr} dB, repair fraction ${frac}")

# Bad input: one clear line and a non-zero exit, before any work.
foreach(bad "--at;8,4;--persistence" "--alphas;2" "--radius;-1;--repair" "--tune-count;0;--baselines")
  execute_process(COMMAND "${RRCNN}" eval --ckpt "${ckpt}" ${bad}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  if(rc EQUAL 0 OR NOT err MATCHES "rrcnn eval")
    message(FATAL_ERROR "'${bad}' should fail with a message naming rrcnn eval (exit ${rc}):\n${out}${err}")
  endif()
endforeach()
