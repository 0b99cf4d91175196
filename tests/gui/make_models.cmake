# SETUP for the model-switcher check: an assets folder in WORK with the embedded digits, the
# seed model, a copy of it marked as trained with the "pool" recipe (a persistent model) and the
# shipped healing model (its description is saved in the file).
# Inputs: WORK, ASSETS (the source tree's assets/), MAKE_RECIPE (the helper executable).
file(MAKE_DIRECTORY "${WORK}/assets")
file(COPY "${ASSETS}/mnist-10k-images-idx3-ubyte.gz" "${ASSETS}/mnist-10k-labels-idx1-ubyte.gz"
          "${ASSETS}/rrcnn-seed.safetensors" "${ASSETS}/rrcnn-seed.train.jsonl"
          "${ASSETS}/rrcnn-heal.safetensors"
          DESTINATION "${WORK}/assets")
execute_process(COMMAND "${MAKE_RECIPE}" "${WORK}/assets/rrcnn-seed.safetensors"
                        "${WORK}/assets/rrcnn-pool.safetensors" pool
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not make the pool copy (${rc})")
endif()
