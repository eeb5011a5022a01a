# dangpli_warnings(target): the warning set every target of ours compiles with.
function(dangpli_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wconversion -Wsign-conversion -Wdouble-promotion
    -Wformat=2 -Wimplicit-fallthrough)
  if(DANGPLI_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
option(DANGPLI_WERROR "Treat warnings as errors" OFF)
