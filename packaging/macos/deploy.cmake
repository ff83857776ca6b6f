# macOS: an .app bundle (Info.plist from the target's MACOSX_BUNDLE_* properties, the .icns made
# by the workflow with iconutil), libtorch's dylibs in Contents/Frameworks with rpaths fixed,
# then macdeployqt brings Qt's frameworks and plugins. CPack's DragNDrop makes the .dmg.
set(_icns ${PROJECT_SOURCE_DIR}/resources/icons/trainbench.icns)
if(EXISTS ${_icns})
  target_sources(trainbench PRIVATE ${_icns})
  set_source_files_properties(${_icns} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
endif()
set_target_properties(trainbench PROPERTIES INSTALL_RPATH "@executable_path/../Frameworks")

get_filename_component(_torch_root "${Torch_DIR}/../../.." ABSOLUTE)
file(GLOB TRAINBENCH_TORCH_DYLIBS "${_torch_root}/lib/*.dylib")
install(FILES ${TRAINBENCH_TORCH_DYLIBS} DESTINATION trainbench.app/Contents/Frameworks)

find_program(MACDEPLOYQT macdeployqt HINTS "${Qt6_DIR}/../../../bin")
if(MACDEPLOYQT)
  install(CODE "execute_process(COMMAND \"${MACDEPLOYQT}\" \"\${CMAKE_INSTALL_PREFIX}/trainbench.app\"
                  -always-overwrite COMMAND_ERROR_IS_FATAL ANY)")
endif()
