# `rrcnn --help`, `rrcnn CMD --help` and bad flags as a user meets them: each help exits 0 and
# lists the command's flags with their value forms; an unknown flag, a missing or bad value and
# a stray word exit 1 with one line naming the command and the flag (app/cli/flags.h).
# Inputs: RRCNN (the executable), GUI (1 when the build has the GUI).
function(expect_help args)
  execute_process(COMMAND "${RRCNN}" ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 30)
  if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
    message(FATAL_ERROR "'rrcnn ${args}' should print help and exit 0 (exit ${rc}):\n${out}${err}")
  endif()
  foreach(want IN LISTS ARGN)
    string(FIND "${out}" "${want}" at)
    if(at LESS 0)
      message(FATAL_ERROR "'rrcnn ${args}' lacks '${want}':\n${out}")
    endif()
  endforeach()
endfunction()

# rrcnn ARGS must fail with exactly the one line `line` (after "rrcnn: error: ").
function(expect_error line)
  execute_process(COMMAND "${RRCNN}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 30)
  if(NOT rc EQUAL 1 OR NOT err STREQUAL "rrcnn: error: ${line}\n")
    message(FATAL_ERROR "'rrcnn ${ARGN}' should fail (exit 1) with the line\n  rrcnn: error: ${line}\n"
                        "got exit ${rc}:\n${out}${err}")
  endif()
endfunction()

expect_help("--help" "usage: rrcnn [command]" "train" "eval" "render" "info" "bench" "COMMAND --help")
expect_help("train;--help" "usage: rrcnn train" "--steps N" "--batch B" "--resume FILE" "--init FILE"
            "--no-log" "--hidden K1,K2[,..]" "--horizon T|LO..HI" "--pool N" "--damage-radius R|LO..HI"
            "--stroke-length LO..HI" "--noise-ramp N" "--backend auto|cpu|cuda" "--precision fp32|bf16" "SIGINT")
expect_help("train;-h" "usage: rrcnn train")
expect_help("eval;--help" "usage: rrcnn eval" "FILE [FILE..]" "--ckpt FILE[,FILE..]" "--alphas A,B,..."
            "--baselines" "--repair" "--kinds K1,K2,..." "--recover-steps A,B" "--mc K" "--dump-noisy FILE"
            "--score FILE" "--threads N")
expect_help("render;--help" "usage: rrcnn render --ckpt FILE --out FILE.gif|FILE.png" "--frame N" "--curve F.png"
            "--change F.gif" "--backend")
expect_help("render;--help" "rrcnn render --script FILE --out FILE.gif" "--script FILE" "--batch N"
            "--report FILE" "--scale K" "--session FILE")

# Flags main takes before a command's parser sees them are in that command's --help too:
# --session FILE (expanded into the file's flags, session_file.h) for every command that takes a
# session; render's --script above (routed to the replay, script_replay.h).
foreach(cmd train eval render)
  expect_help("${cmd};--help" "--session FILE")
endforeach()
expect_help("info;--help" "usage: rrcnn info FILE.safetensors" "FILE")
expect_help("bench;--help" "usage: rrcnn bench" "--seconds S" "--skip-train" "--horizon T" "--channels C")

expect_error("rrcnn train: unknown flag --stpes (see rrcnn train --help)" train --stpes 3)
expect_error("rrcnn eval: unknown flag --bogus (see rrcnn eval --help)" eval --bogus=1 a.safetensors)
expect_error("rrcnn train: --steps needs a value" train --steps)
expect_error("rrcnn train: --quiet takes no value" train --quiet=yes)
expect_error("rrcnn train: --batch 0 is out of range 1..4096" train --batch 0)
expect_error("rrcnn train: --lr 'fast' is not a number" train --lr fast)
expect_error("rrcnn train: --horizon 0 is out of range 1..100000" train --horizon 0 --steps 1)
expect_error("rrcnn bench: --seconds 'x' is not a number" bench --seconds x)
expect_error("rrcnn render: --alpha 2 is out of range -1..1" render --alpha 2)
expect_error("rrcnn eval: --alphas '0.5,x' is not a comma-separated list of numbers" eval --alphas 0.5,x a.safetensors)
expect_error("rrcnn eval: --seed '-1' is not a non-negative integer" eval --seed -1 a.safetensors)
expect_error("rrcnn info: unexpected argument 'b.safetensors'" info a.safetensors b.safetensors)
expect_error("rrcnn bench: unexpected argument 'cuda'" bench cuda)
expect_error("unknown command 'trian' (commands: gui, train, eval, render, info, bench; see rrcnn --help)" trian)

# Every flag a command's --help lists is one its parser takes: `rrcnn CMD --FLAG=@ --zz-probe`
# must stop at the probe (the flags are read first to last), not at --FLAG.
function(expect_listed_flags_taken cmd)
  execute_process(COMMAND "${RRCNN}" ${cmd} --help OUTPUT_VARIABLE help TIMEOUT 30)
  string(REGEX MATCHALL "\n +--[a-z][a-z0-9-]*" listed "${help}")
  list(LENGTH listed n)
  if(n LESS 3)
    message(FATAL_ERROR "'rrcnn ${cmd} --help' lists ${n} flags:\n${help}")
  endif()
  foreach(flag IN LISTS listed)
    string(REGEX REPLACE "^\n +" "" flag "${flag}")
    execute_process(COMMAND "${RRCNN}" ${cmd} "${flag}=@" --zz-probe RESULT_VARIABLE rc ERROR_VARIABLE err
                    OUTPUT_QUIET TIMEOUT 30)
    string(FIND "${err}" "unknown flag ${flag} " at)
    if(rc EQUAL 0 OR at GREATER_EQUAL 0)
      message(FATAL_ERROR "'rrcnn ${cmd} --help' lists ${flag}, which it does not take (exit ${rc}): ${err}")
    endif()
  endforeach()
endfunction()
set(commands train eval render bench)  # info takes no flags, only FILE
if(GUI)
  list(APPEND commands gui)
endif()
foreach(cmd IN LISTS commands)
  expect_listed_flags_taken(${cmd})
endforeach()

# Each of render's two modes refuses the other's flags in one line.
expect_error("rrcnn render: --report needs --script FILE"
             render --ckpt a.safetensors --out a.gif --report r.json)
if(GUI)
  expect_help("render;--script;x.script;--help" "rrcnn render --script FILE" "--frame N" "--report FILE")
  expect_error("rrcnn render --script: --steps does not apply to a script replay"
               render --script x.script --out a.gif --steps 3)
else()
  set(no_gui "the replay runs the studio's live-view worker")
  expect_error("rrcnn render: --script needs a build with the GUI (${no_gui})" render --script x.script)
endif()

# The GUI's flags, with or without the word (parsing fails before any window is opened).
if(GUI)
  expect_help("gui;--help" "usage: rrcnn gui" "--ckpt FILE" "--preset seed|lite" "--paused" "--report FILE"
              "--session FILE" "--script FILE" "RRCNN_GUI_TRACE")
  expect_error("rrcnn gui: unknown flag --bogus (see rrcnn gui --help)" gui --bogus)
  expect_error("rrcnn gui: --frames 'x' is not an integer" --frames x)
  expect_error("rrcnn gui: --backend 'metal' (choose auto, cpu or cuda)" --report r.json --backend metal)
endif()
message(STATUS "help and flag errors ok")
