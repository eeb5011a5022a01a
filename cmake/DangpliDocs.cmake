# The API reference: `cmake --build build --target docs` writes build/docs/html with Doxygen;
# the test `docs` fails when Doxygen warns (an undocumented class or function, a bad reference).
find_package(Doxygen QUIET)
if(NOT DOXYGEN_FOUND)
  message(STATUS "dangpli: doxygen not found, no API reference target")
  return()
endif()
set(dangpli_docs_env
    DANGPLI_DOCS_OUT=${PROJECT_BINARY_DIR}/docs
    DANGPLI_VERSION=${PROJECT_VERSION}
    DANGPLI_GENERATED_INCLUDE=${PROJECT_BINARY_DIR}/include/dangpli)
add_custom_target(docs
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/docs
  COMMAND ${CMAKE_COMMAND} -E env ${dangpli_docs_env} ${DOXYGEN_EXECUTABLE} docs/Doxyfile
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "API reference in ${PROJECT_BINARY_DIR}/docs/html")
if(DANGPLI_BUILD_TESTS)
  add_test(NAME docs
    COMMAND ${CMAKE_COMMAND} -DDOXYGEN=${DOXYGEN_EXECUTABLE} -DOUT=${PROJECT_BINARY_DIR}/docs-test
            -DVERSION=${PROJECT_VERSION} -DGENERATED=${PROJECT_BINARY_DIR}/include/dangpli
            -P ${PROJECT_SOURCE_DIR}/tests/docs/check_docs.cmake
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endif()
