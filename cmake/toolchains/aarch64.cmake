# Cross build for aarch64 (Debian: g++-aarch64-linux-gnu, qemu-user). See cross-debian.cmake.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(ZMTP_CROSS_TRIPLET aarch64-linux-gnu)
set(ZMTP_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/cross-debian.cmake)
