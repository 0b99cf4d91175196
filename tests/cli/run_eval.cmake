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
                        --recover-steps 2,4 --per-step --steps 6 --alphas 0.5,-1
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
string(JSON frac GET "${out}" repair kinds erase_r3 after 1 recovered)
# Every damage kind of the studio's brushes, by name, scored at both recovery points.
string(JSON n_kinds LENGTH "${out}" repair kinds)
foreach(kind erase_r3 erase_r6 erase_stroke noise_r4 ink_stroke)
  string(JSON at2 GET "${out}" repair kinds ${kind} after 1 steps)
  string(JSON change GET "${out}" repair kinds ${kind} after 1 whole_change_db)
  string(JSON cells GET "${out}" repair kinds ${kind} mean_region_cells)
  if(NOT at2 EQUAL 4 OR cells LESS_EQUAL 0)
    message(FATAL_ERROR "--repair: kind ${kind} lacks its +4 reading or its region (${at2}, ${cells}):\n${out}")
  endif()
endforeach()
string(JSON ink_target GET "${out}" repair kinds ink_stroke has_target)
string(JSON stroke_len GET "${out}" repair kinds erase_stroke brush length)
string(JSON stroke_r GET "${out}" repair kinds erase_stroke brush radius)
if(NOT n_kinds EQUAL 5 OR ink_target OR NOT stroke_len EQUAL 16 OR NOT stroke_r EQUAL 1.5)
  message(FATAL_ERROR "--repair: unexpected kinds (${n_kinds}, ink target ${ink_target}, stroke ${stroke_len} r${stroke_r}):\n${out}")
endif()
# --kinds picks some, in the order given.
execute_process(COMMAND "${RRCNN}" eval --ckpt "${ckpt}" --count 2 --threads 1 --json --repair --kinds noise_r4
                        --damage-step 2 --recover-steps 2
                RESULT_VARIABLE rc OUTPUT_VARIABLE out1 ERROR_VARIABLE err TIMEOUT 120)
string(JSON n_kinds LENGTH "${out1}" repair kinds)
string(JSON mode GET "${out1}" repair kinds noise_r4 brush mode)
if(NOT rc EQUAL 0 OR NOT n_kinds EQUAL 1 OR NOT mode STREQUAL "noise")
  message(FATAL_ERROR "--kinds noise_r4 (exit ${rc}): expected one noise kind:\n${out1}${err}")
endif()
string(JSON n_steps LENGTH "${out}" per_step levels 1 psnr)
if(NOT step EQUAL 8 OR NOT n_steps EQUAL 7 OR sigma LESS_EQUAL 0 OR psnr LESS_EQUAL 0)
  message(FATAL_ERROR "unexpected values (step ${step}, per-step length ${n_steps}, sigma ${sigma}, psnr ${psnr}):\n${out}")
endif()
message(STATUS "eval JSON ok: sigma ${sigma}, model PSNR ${psnr} dB, repair fraction ${frac}")

# Bad input: one clear line and a non-zero exit, before any work.
foreach(bad "--at;8,4;--persistence" "--alphas;2" "--kinds;erase_r9;--repair" "--kinds;erase_r3,erase_r3;--repair" "--recover-steps;4,2;--repair" "--tune-count;0;--baselines")
  execute_process(COMMAND "${RRCNN}" eval --ckpt "${ckpt}" ${bad}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  if(rc EQUAL 0 OR NOT err MATCHES "rrcnn eval")
    message(FATAL_ERROR "'${bad}' should fail with a message naming rrcnn eval (exit ${rc}):\n${out}${err}")
  endif()
endforeach()

# Other programs' denoisers: --dump-noisy writes the held-out digits and noisy inputs; --score
# names the tensor it lacks (a file of noisy inputs is not a file of outputs).
set(noisy "${WORK}/noisy.safetensors")
execute_process(COMMAND "${RRCNN}" eval --dump-noisy "${noisy}" --count 3 --batch 2 --alphas 0.5,-1 --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
string(JSON dumped GET "${out}" dump_noisy digits)
file(SIZE "${noisy}" size)
if(NOT rc EQUAL 0 OR NOT dumped EQUAL 3 OR size LESS 2800)  # 3 tensors of 3 x 784 floats
  message(FATAL_ERROR "--dump-noisy (exit ${rc}, ${size} bytes):\n${out}${err}")
endif()
execute_process(COMMAND "${RRCNN}" eval --score "${noisy}" --count 3 --alphas 0.5
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(rc EQUAL 0 OR NOT err MATCHES "no tensor 'denoised/0.50'")
  message(FATAL_ERROR "--score of a noisy-input file should name the missing tensor (exit ${rc}):\n${out}${err}")
endif()
