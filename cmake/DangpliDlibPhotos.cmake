# dlib's annotated example photos (training.xml, testing.xml and nine JPEGs): the detectors'
# accuracy set for the tests and benchmarks. Debian ships them in the doc folder of libdlib<N>,
# whose name follows dlib's version (libdlib19.1 on Debian 12), so the folder is looked for.
# Set DANGPLI_DLIB_FACES_DIR to use a copy elsewhere.
file(GLOB dangpli_dlib_doc_dirs LIST_DIRECTORIES true
     /usr/share/doc/libdlib*/examples/faces /usr/local/share/doc/libdlib*/examples/faces)
find_path(DANGPLI_DLIB_FACES_DIR NAMES testing.xml PATHS ${dangpli_dlib_doc_dirs} NO_DEFAULT_PATH
          DOC "dlib's examples/faces folder (training.xml, testing.xml and their photos)")
if(DANGPLI_DLIB_FACES_DIR)
  message(STATUS "dangpli: dlib's example photos in ${DANGPLI_DLIB_FACES_DIR}")
else()
  message(WARNING "dangpli: dlib's example photos not found (package libdlib<N>, see scripts/install-deps.sh); "
                  "the detector tests and bench_detect will fail. Set DANGPLI_DLIB_FACES_DIR to their folder.")
endif()
