# Cross build for armhf (Debian: g++-arm-linux-gnueabihf, qemu-user). See cross-debian.cmake.
set(CMAKE_SYSTEM_PROCESSOR arm)
set(ZMTP_CROSS_TRIPLET arm-linux-gnueabihf)
set(ZMTP_CROSS_QEMU qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/cross-debian.cmake)
