#pragma once
// libtorch pulls in glog, whose CHECK() replaces doctest's: a failing check aborts the whole test
// program instead of being reported, and passing ones are not counted. Include this after every
// other header of a training test, so that CHECK is doctest's again.
#include <doctest/doctest.h>
#include <torch/torch.h>

#undef CHECK
#define CHECK(...) DOCTEST_CHECK(__VA_ARGS__)
