# Install rules and package files: libzmtp.a + libzmtp_wire.a and the C++ headers
# (include/zmtp/), the C API as libzmtp_zmq.a and as lib/zmtp/libzmq.so.5 with its zmq.h in
# include/zmtp-zmq/ (apart from a system libzmq), zmtpConfig.cmake (+ version) and the
# pkg-config files zmtp.pc and zmtp-zmq.pc. The package files are relocatable. Included by the
# top-level CMakeLists.txt; Meson writes the same files from the same templates.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ZMTP_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/zmtp)
set(ZMTP_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(TARGETS zmtp zmtp_wire zmtp_zmq ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS zmtp_zmq_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/zmtp)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/zmtp
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_SOURCE_DIR}/interop/include/zmq.h
              ${PROJECT_SOURCE_DIR}/interop/include/zmq_utils.h
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/zmtp-zmq)

# Paths the templates need, relative so the installed tree can move.
file(RELATIVE_PATH ZMTP_CONFIG_TO_PREFIX /prefix/${ZMTP_CMAKE_DIR} /prefix)
file(RELATIVE_PATH ZMTP_PC_TO_PREFIX /prefix/${ZMTP_PC_DIR} /prefix)
string(REGEX REPLACE "/$" "" ZMTP_CONFIG_TO_PREFIX "${ZMTP_CONFIG_TO_PREFIX}")
string(REGEX REPLACE "/$" "" ZMTP_PC_TO_PREFIX "${ZMTP_PC_TO_PREFIX}")
set(ZMTP_LIBDIR ${CMAKE_INSTALL_LIBDIR})
set(ZMTP_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
set(ZMTP_VERSION ${PROJECT_VERSION})
set(_pkg ${PROJECT_BINARY_DIR}/package)
configure_file(${CMAKE_CURRENT_LIST_DIR}/zmtpConfig.cmake.in ${_pkg}/zmtpConfig.cmake @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/zmtp.pc.in ${_pkg}/zmtp.pc @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/zmtp-zmq.pc.in ${_pkg}/zmtp-zmq.pc @ONLY)
write_basic_package_version_file(${_pkg}/zmtpConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${_pkg}/zmtpConfig.cmake ${_pkg}/zmtpConfigVersion.cmake
    DESTINATION ${ZMTP_CMAKE_DIR})
install(FILES ${_pkg}/zmtp.pc ${_pkg}/zmtp-zmq.pc DESTINATION ${ZMTP_PC_DIR})

# The consumer project (tests/consumer) built against a private install of this tree, with
# CMake and with pkg-config. Not under sanitizers: the consumer is built uninstrumented.
if(ZMTP_BUILD_TESTS AND NOT ZMTP_SANITIZE)
    add_test(NAME install_consumer
        COMMAND sh ${PROJECT_SOURCE_DIR}/tests/consumer/run_consumer.sh cmake
            ${PROJECT_BINARY_DIR} ${PROJECT_BINARY_DIR}/consumer-check)
    set_tests_properties(install_consumer PROPERTIES TIMEOUT 300
        ENVIRONMENT "CC=${CMAKE_C_COMPILER};CXX=${CMAKE_CXX_COMPILER}")
endif()
