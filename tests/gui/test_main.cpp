// doctest's main for the GUI logic suite (no window, no GL: runs on any CI machine).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
