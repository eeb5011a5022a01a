# The libraries of the song analysis (libdangpli/src/audio): FFmpeg decodes, aubio finds tempo,
# onsets and spectral shape, libebur128 measures loudness, qm-dsp finds key, mode and segments.
# Sets DANGPLI_AUDIO_LIBRARIES. Also installed beside dangpliConfig.cmake: the static library
# needs the same libraries at link time.
find_package(PkgConfig REQUIRED)
pkg_check_modules(DANGPLI_FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libswresample libavutil)
pkg_check_modules(DANGPLI_AUBIO REQUIRED IMPORTED_TARGET aubio)
pkg_check_modules(DANGPLI_EBUR128 REQUIRED IMPORTED_TARGET libebur128)
# Debian's libqm-dsp-dev ships headers and the library but no pkg-config file.
if(NOT TARGET dangpli_qm_dsp)
  find_path(DANGPLI_QM_DSP_INCLUDE_DIR dsp/keydetection/GetKeyMode.h PATH_SUFFIXES qm-dsp)
  find_library(DANGPLI_QM_DSP_LIBRARY qm-dsp)
  if(NOT DANGPLI_QM_DSP_INCLUDE_DIR OR NOT DANGPLI_QM_DSP_LIBRARY)
    message(FATAL_ERROR "qm-dsp (libqm-dsp-dev) not found: apt-get install libqm-dsp-dev (dangpli's scripts/install-deps.sh installs every package)")
  endif()
  add_library(dangpli_qm_dsp INTERFACE IMPORTED)
  set_target_properties(dangpli_qm_dsp PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES ${DANGPLI_QM_DSP_INCLUDE_DIR}
    INTERFACE_LINK_LIBRARIES ${DANGPLI_QM_DSP_LIBRARY})
endif()
set(DANGPLI_AUDIO_LIBRARIES PkgConfig::DANGPLI_FFMPEG PkgConfig::DANGPLI_AUBIO PkgConfig::DANGPLI_EBUR128 dangpli_qm_dsp)
