# SETUP for the errors check: damaged inputs in WORK (a folder named like a checkpoint, a file
# whose header length is absurd, an empty file).
file(MAKE_DIRECTORY "${WORK}/adir.safetensors")
string(ASCII 255 255 255 255 255 255 255 127 ff)
file(WRITE "${WORK}/garbage.safetensors" "${ff}{\"a\": 1} and then some text")
file(WRITE "${WORK}/empty.safetensors" "")
