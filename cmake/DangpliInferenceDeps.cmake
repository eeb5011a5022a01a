# XNNPACK runs our own emotion networks about twice as fast as cv::dnn (libdangpli/src/vision/
# xnnpack_network.hpp). Debian's libxnnpack-dev ships no CMake or pkg-config file. Sets the imported
# target dangpli_xnnpack. Also installed beside dangpliConfig.cmake: the static library needs it.
if(NOT TARGET dangpli_xnnpack)
  find_path(DANGPLI_XNNPACK_INCLUDE_DIR xnnpack.h)
  find_path(DANGPLI_PTHREADPOOL_INCLUDE_DIR pthreadpool.h)
  find_library(DANGPLI_XNNPACK_LIBRARY XNNPACK)
  if(NOT DANGPLI_XNNPACK_INCLUDE_DIR OR NOT DANGPLI_PTHREADPOOL_INCLUDE_DIR OR NOT DANGPLI_XNNPACK_LIBRARY)
    message(FATAL_ERROR "XNNPACK (libxnnpack-dev, libpthreadpool-dev) not found: apt-get install libxnnpack-dev libpthreadpool-dev (dangpli's scripts/install-deps.sh installs every package)")
  endif()
  add_library(dangpli_xnnpack INTERFACE IMPORTED)
  set_target_properties(dangpli_xnnpack PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${DANGPLI_XNNPACK_INCLUDE_DIR};${DANGPLI_PTHREADPOOL_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES ${DANGPLI_XNNPACK_LIBRARY})
endif()
