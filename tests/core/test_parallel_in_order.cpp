// parallel_in_order(): results come back in order on the calling thread, each thread has its own
// copy of the tool, and the first exception stops the work and reaches the caller.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "dangpli/parallel_in_order.hpp"

using dangpli::parallel_in_order;

namespace {

// A tool whose copies can be told apart.
struct Tool {
    Tool() = default;
    Tool(const Tool& other) : generation(other.generation + 1) {}
    int generation = 0;
};

}  // namespace

TEST_CASE("results reach the calling thread in index order though they finish out of order") {
    const Tool tool;
    const auto caller = std::this_thread::get_id();
    std::vector<std::size_t> order;
    std::set<const Tool*> tools_used;
    std::mutex tools_mutex;
    parallel_in_order(
        tool, 24, 4,
        [&](const Tool& own, std::size_t i) {
            {
                std::lock_guard lock(tools_mutex);
                tools_used.insert(&own);
            }
            // early items take longest, so later ones finish first
            std::this_thread::sleep_for(std::chrono::milliseconds(i < 4 ? 40 : 1));
            return i * 10;
        },
        [&](std::size_t i, std::size_t result) {
            CHECK(std::this_thread::get_id() == caller);
            CHECK(result == i * 10);
            order.push_back(i);
        });
    REQUIRE(order.size() == 24);
    for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
    CHECK(tools_used.size() == 4);
    CHECK(tools_used.count(&tool) == 1);  // the caller's tool serves one thread
}

TEST_CASE("threads are clamped to the items, and no items call nothing") {
    const Tool tool;
    int calls = 0;
    parallel_in_order(tool, 0, 8, [](const Tool&, std::size_t) { return 0; }, [&](std::size_t, int) { ++calls; });
    CHECK(calls == 0);
    parallel_in_order(tool, 3, 0, [](const Tool&, std::size_t i) { return i; }, [&](std::size_t, std::size_t) { ++calls; });
    CHECK(calls == 3);
}

TEST_CASE("the first exception of the work or of the caller's callback stops the work and is rethrown") {
    const Tool tool;
    std::atomic<std::size_t> started{0};
    CHECK_THROWS_WITH(parallel_in_order(
                          tool, 1000, 2,
                          [&](const Tool&, std::size_t i) {
                              ++started;
                              if (i == 5) throw std::runtime_error("item 5 is broken");
                              std::this_thread::sleep_for(std::chrono::milliseconds(1));
                              return i;
                          },
                          [](std::size_t, std::size_t) {}),
                      "item 5 is broken");
    CHECK(started < 1000);

    std::vector<std::size_t> seen;
    CHECK_THROWS_WITH(parallel_in_order(
                          tool, 1000, 2, [](const Tool&, std::size_t i) { return i; },
                          [&](std::size_t i, std::size_t) {
                              seen.push_back(i);
                              if (i == 2) throw std::runtime_error("stop at 2");
                          }),
                      "stop at 2");
    CHECK(seen == std::vector<std::size_t>{0, 1, 2});
}
