# Instrumented builds, for every target of ours (library, CLI, tests, tools):
#   DANGPLI_SANITIZE  AddressSanitizer + UndefinedBehaviorSanitizer (gcc or clang); undefined
#                     behaviour stops the program, so a test run cannot pass over it.
#   DANGPLI_FUZZ      clang's coverage for libFuzzer, and the fuzz targets in fuzz/.
# Third-party libraries (OpenCV, yaml-cpp, SQLite, libtorch) are not instrumented. A sanitized
# build leaves out the trainer (libtorch and ASan's allocator do not mix well, and it is slow) and
# the Python module (an instrumented extension cannot load into Debian's uninstrumented python3).
option(DANGPLI_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(DANGPLI_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

if(DANGPLI_SANITIZE)
  # -g1: line tables only, enough for the reports' stack traces, and much quicker to build than -g.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=address,undefined)
  if(DANGPLI_WITH_TRAINER STREQUAL "ON")
    message(FATAL_ERROR "DANGPLI_SANITIZE=ON builds without the trainer: set DANGPLI_WITH_TRAINER=OFF")
  endif()
  set(DANGPLI_WITH_TRAINER OFF CACHE STRING "" FORCE)
  set(DANGPLI_WITH_PYTHON OFF CACHE STRING "" FORCE)
endif()

if(DANGPLI_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DANGPLI_FUZZ=ON needs clang (CXX=clang++ CC=clang); this is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
