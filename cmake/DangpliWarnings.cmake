# dangpli_warnings(target): the warning set every target of ours compiles with.
function(dangpli_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wconversion -Wsign-conversion -Wdouble-promotion
    -Wformat=2 -Wimplicit-fallthrough)
  # GCC 12 reports a false -Wrestrict on std::string concatenation in optimised builds (GCC PR 105329).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(DANGPLI_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
option(DANGPLI_WERROR "Treat warnings as errors" OFF)
