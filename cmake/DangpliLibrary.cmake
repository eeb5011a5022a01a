# dangpli_add_library_pair(NAME OBJECTS EXPORT_BASE OUTPUT_NAME)
# Links one object library twice: <NAME>_shared (libOUTPUT.so, exported as dangpli::<EXPORT_BASE>)
# and <NAME>_static (libOUTPUT.a, exported as dangpli::<EXPORT_BASE>_static). The sources compile
# once (position-independent); both libraries carry the object library's usage requirements.
function(dangpli_add_library_pair name objects export_base output_name)
  foreach(kind shared static)
    string(TOUPPER ${kind} KIND)
    add_library(${name}_${kind} ${KIND} $<TARGET_OBJECTS:${objects}>)
    set(export_name ${export_base})
    if(kind STREQUAL "static")
      set(export_name ${export_base}_static)
    endif()
    add_library(dangpli::${export_name} ALIAS ${name}_${kind})
    set_target_properties(${name}_${kind} PROPERTIES
      OUTPUT_NAME ${output_name} EXPORT_NAME ${export_name}
      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
    # The public headers are C++20 (std::span, designated initialisers): a program that sets no
    # standard is compiled as one.
    target_compile_features(${name}_${kind} INTERFACE cxx_std_20)
    foreach(property INCLUDE_DIRECTORIES COMPILE_DEFINITIONS)
      get_target_property(value ${objects} INTERFACE_${property})
      if(value)
        set_property(TARGET ${name}_${kind} PROPERTY INTERFACE_${property} "${value}")
      endif()
    endforeach()
  endforeach()
  # The static libraries linked into the shared one (Debian's libSQLiteCpp.a) stay inside it: a
  # program with its own SQLiteCpp must not get ours for its calls.
  target_link_options(${name}_shared PRIVATE "LINKER:--exclude-libs,ALL")
  # Only dangpli's own names leave the shared library (the map says why).
  set(exports_map "${PROJECT_SOURCE_DIR}/cmake/dangpli_exports.map")
  target_link_options(${name}_shared PRIVATE "LINKER:--version-script=${exports_map}")
  set_property(TARGET ${name}_shared APPEND PROPERTY LINK_DEPENDS "${exports_map}")
endfunction()
