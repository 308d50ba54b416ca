// test_parallel.cpp — run_jobs (kernels/base/parallel.h): every job runs once, on a worker index
// within range, and a failure surfaces as the lowest-numbered failed job's error, the one a
// plain loop would raise.
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/base/parallel.h"

namespace nasflat {
namespace {

TEST(RunJobs, EveryJobRunsOnceOnAWorkerInRange) {
    for (int threads : {1, 2, 3, 8}) {
        const size_t jobs = 37, workers = job_workers(jobs, threads);
        EXPECT_EQ(workers, static_cast<size_t>(threads));
        std::vector<std::atomic<int>> runs(jobs);
        std::vector<size_t> worker_of(jobs, 99);
        run_jobs(jobs, threads, [&](size_t j, size_t w) {
            ++runs[j];
            worker_of[j] = w;
        });
        for (size_t j = 0; j < jobs; ++j) {
            EXPECT_EQ(runs[j].load(), 1) << "job " << j << " threads " << threads;
            EXPECT_LT(worker_of[j], workers);
        }
    }
}

TEST(RunJobs, WorkersAreCappedByJobsAndZeroMeansEveryCore) {
    EXPECT_EQ(job_workers(3, 8), 3u);
    EXPECT_EQ(job_workers(0, 4), 1u);
    const size_t cores = std::max(1u, std::thread::hardware_concurrency());
    EXPECT_EQ(job_workers(1000, 0), cores);
    size_t calls = 0;
    run_jobs(0, 4, [&](size_t, size_t) { ++calls; });
    EXPECT_EQ(calls, 0u);
}

TEST(RunJobs, TheLowestFailedJobsErrorIsRethrown) {
    for (int threads : {1, 2, 4}) {
        try {
            run_jobs(20, threads, [](size_t j, size_t) {
                if (j == 5 || j == 6 || j == 13) throw std::runtime_error("job " + std::to_string(j));
            });
            ADD_FAILURE() << "no error with " << threads << " threads";
        } catch (const std::runtime_error& e) {
            EXPECT_STREQ(e.what(), "job 5") << threads << " threads";
        }
    }
}

}  // namespace
}  // namespace nasflat
