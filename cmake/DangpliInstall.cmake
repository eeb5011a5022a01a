# Installation: the dangpli program, libdangpli (shared and static) with its headers, CMake package
# and pkg-config file, the models and default playlists, the man page; and a Debian package (CPack).
include(CMakePackageConfigHelpers)

set(DANGPLI_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/dangpli)
set(DANGPLI_DATA_DEST ${CMAKE_INSTALL_DATADIR}/dangpli)

install(TARGETS dangpli_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
if(TARGET dangpli_trainer)  # what `dangpli train` runs, found from bin/ (cli/CMakeLists.txt)
  install(TARGETS dangpli_trainer RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/dangpli COMPONENT runtime)
endif()
install(TARGETS dangpli_shared dangpli_static dangpli_player_shared dangpli_player_static
        EXPORT dangpliTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT development
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libdangpli/include/dangpli ${PROJECT_BINARY_DIR}/include/dangpli
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")

install(EXPORT dangpliTargets NAMESPACE dangpli:: DESTINATION ${DANGPLI_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/templates/dangpliConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/dangpliConfig.cmake
                              INSTALL_DESTINATION ${DANGPLI_CMAKE_DIR}
                              PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dangpliConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dangpliConfig.cmake ${PROJECT_BINARY_DIR}/dangpliConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/DangpliAudioDeps.cmake
              ${PROJECT_SOURCE_DIR}/cmake/DangpliImageDeps.cmake
              ${PROJECT_SOURCE_DIR}/cmake/DangpliInferenceDeps.cmake
        DESTINATION ${DANGPLI_CMAKE_DIR})

# pkg-config's prefix is where the .pc file lies, so a moved tree (or `cmake --install --prefix`
# elsewhere) needs no rewriting.
file(RELATIVE_PATH dangpli_pc_to_prefix ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" dangpli_pc_to_prefix "${dangpli_pc_to_prefix}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/templates/dangpli.pc.in ${PROJECT_BINARY_DIR}/dangpli.pc @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/cmake/templates/dangpli-player.pc.in ${PROJECT_BINARY_DIR}/dangpli-player.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dangpli.pc ${PROJECT_BINARY_DIR}/dangpli-player.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Models: the fetched third-party ones and our own emotion model with its card.
install(DIRECTORY ${CMAKE_BINARY_DIR}/models/mtcnn DESTINATION ${DANGPLI_DATA_DEST}/models
        FILES_MATCHING PATTERN "*.prototxt" PATTERN "*.caffemodel")
install(DIRECTORY ${CMAKE_BINARY_DIR}/models/yunet DESTINATION ${DANGPLI_DATA_DEST}/models FILES_MATCHING PATTERN "*.onnx")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/emotion DESTINATION ${DANGPLI_DATA_DEST}/models
        FILES_MATCHING PATTERN "*.onnx" PATTERN "*.yaml")
install(FILES ${PROJECT_SOURCE_DIR}/models/manifest.txt DESTINATION ${DANGPLI_DATA_DEST}/models)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/playlists DESTINATION ${DANGPLI_DATA_DEST})
# The man page takes its version from project(); its date is the configure day.
string(TIMESTAMP DANGPLI_MAN_DATE "%Y-%m-%d" UTC)
configure_file(${PROJECT_SOURCE_DIR}/docs/dangpli.1.in ${PROJECT_BINARY_DIR}/man/dangpli.1 @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/man/dangpli.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/models/emotion/fer-resnet.yaml
              ${PROJECT_SOURCE_DIR}/models/emotion/fer-resnet-wide.yaml ${PROJECT_SOURCE_DIR}/models/emotion/w6-resnet-wide.yaml
              ${PROJECT_SOURCE_DIR}/models/emotion/fer-ensemble.yaml
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# `cpack -G DEB` in the build folder: dangpli_<version>_<arch>.deb, installing under /usr.
set(CPACK_PACKAGE_NAME dangpli)
set(CPACK_PACKAGE_VENDOR "dangpli developers")
set(CPACK_PACKAGE_CONTACT "dangpli developers <dangpli@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)           # Depends: from the libraries the binaries link
if(DANGPLI_MPV_PACKAGE)
  # The player loads libmpv with dlopen, which dpkg-shlibdeps cannot see; shlibdeps' list is added to this one.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS ${DANGPLI_MPV_PACKAGE})
endif()
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)     # shlibs file and the ldconfig trigger
if(TARGET dangpli_python)
  # `import dangpli` needs the interpreter it was built for and numpy; dangpli.dask needs Dask.
  math(EXPR python_next_minor "${Python3_VERSION_MINOR} + 1")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), python3 (<< ${Python3_VERSION_MAJOR}.${python_next_minor}), python3-numpy")
  set(dangpli_python_suggests "python3-dask, python3-distributed, ")
endif()
# What a program built against the package's headers, CMake package and pkg-config file needs: the
# -dev packages of libdangpli's own dependencies (dangpliConfig.cmake and dangpli.pc look them up;
# the static library links them). The program alone needs none of them.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "${dangpli_python_suggests}libopencv-dev, libfmt-dev, libyaml-cpp-dev, \
libsqlitecpp-dev, zlib1g-dev, libavformat-dev, libavcodec-dev, libswresample-dev, libavutil-dev, libaubio-dev, \
libebur128-dev, libqm-dsp-dev, libheif-dev, libxnnpack-dev, libpthreadpool-dev, pkg-config")
# The summary line comes from CPACK_PACKAGE_DESCRIPTION_SUMMARY; CPack indents these lines itself.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "dangpli finds faces with MTCNN, reads their emotion with its own CNN on
OpenCV's dnn module, follows the mood over frames and picks songs from SQLite
playlists. This package holds the dangpli program, libdangpli (shared and static)
with its headers, CMake package and pkg-config file, the models, the default
playlists and, where built, the Python module (import dangpli, dangpli.dask).
Building a program against libdangpli needs the -dev packages it suggests.")
include(CPack)
