# `rrcnn render --curve F.png --change F.gif` on the shipped model: both files are written, a
# PNG of the plot's size and a GIF with a frame per kept step; a wrong extension fails with a
# message naming the flag. Inputs: RRCNN, CKPT, WORK.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${RRCNN}" render --ckpt "${CKPT}" --out "${WORK}/r.png" --steps 8 --digits 2
                        --threads 1 --curve "${WORK}/curve.png" --change "${WORK}/change.gif" --every 2
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "rrcnn render --curve --change failed (${rc}):\n${out}${err}")
endif()
file(READ "${WORK}/curve.png" png HEX LIMIT 24)
# PNG signature, then IHDR with width 960 (0x3c0) and height 540 (0x21c).
if(NOT png MATCHES "^89504e470d0a1a0a0000000d49484452000003c00000021c")
  message(FATAL_ERROR "--curve: not a 960x540 PNG: ${png}")
endif()
file(READ "${WORK}/change.gif" gif HEX LIMIT 10)
# GIF89a, width 2 x (28 x 4) + 2 = 226 (0x00e2), height 112 (0x0070), little-endian.
if(NOT gif STREQUAL "474946383961e2007000")
  message(FATAL_ERROR "--change: not a 226x112 GIF: ${gif}")
endif()
file(READ "${WORK}/change.gif" all HEX)
string(REGEX MATCHALL "21f904" frames "${all}")  # one graphic control block per frame
list(LENGTH frames n)
if(NOT n EQUAL 4)
  message(FATAL_ERROR "--change: expected 4 frames (steps 2, 4, 6, 8), got ${n}")
endif()
execute_process(COMMAND "${RRCNN}" render --ckpt "${CKPT}" --out "${WORK}/r.png" --curve "${WORK}/c.jpg"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(rc EQUAL 0 OR NOT err MATCHES "--curve .*c.jpg must end in .png")
  message(FATAL_ERROR "a --curve that is not .png must fail with a message, got (${rc}): ${err}")
endif()
