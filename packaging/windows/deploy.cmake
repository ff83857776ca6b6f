# Windows: the official libtorch and Qt distributions. At install (and so in the NSIS package):
# libtorch's DLLs next to trainbench.exe, then windeployqt brings Qt's DLLs and plugins.
get_filename_component(_torch_root "${Torch_DIR}/../../.." ABSOLUTE)
file(GLOB TRAINBENCH_TORCH_DLLS "${_torch_root}/lib/*.dll")
install(FILES ${TRAINBENCH_TORCH_DLLS} DESTINATION bin)

find_program(WINDEPLOYQT windeployqt HINTS "${Qt6_DIR}/../../../bin")
if(WINDEPLOYQT)
  install(CODE "execute_process(COMMAND \"${WINDEPLOYQT}\" --release --no-translations
                  --no-system-d3d-compiler --no-opengl-sw
                  \"\${CMAKE_INSTALL_PREFIX}/bin/trainbench.exe\" COMMAND_ERROR_IS_FATAL ANY)")
else()
  message(WARNING "windeployqt not found: the package will lack Qt's DLLs")
endif()
