# The image formats OpenCV does not read: libheif decodes HEIF/HEIC and AVIF photos (what phones
# save). Sets DANGPLI_IMAGE_LIBRARIES. Also installed beside dangpliConfig.cmake: the static
# library needs it at link time.
find_package(PkgConfig REQUIRED)
pkg_check_modules(DANGPLI_HEIF REQUIRED IMPORTED_TARGET libheif)
set(DANGPLI_IMAGE_LIBRARIES PkgConfig::DANGPLI_HEIF)
