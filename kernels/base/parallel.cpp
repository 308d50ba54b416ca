// parallel.cpp — see parallel.h.
#include "kernels/base/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace nasflat {

size_t job_workers(size_t jobs, int threads) {
    size_t t = threads > 0 ? static_cast<size_t>(threads)
                           : std::max(1u, std::thread::hardware_concurrency());
    return std::max<size_t>(1, std::min(t, jobs));
}

void run_jobs(size_t jobs, int threads, const std::function<void(size_t job, size_t worker)>& job) {
    const size_t workers = job_workers(jobs, threads);
    if (workers <= 1) {
        for (size_t j = 0; j < jobs; ++j) job(j, 0);
        return;
    }
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex error_mutex;
    size_t error_job = jobs;
    std::exception_ptr error;
    auto work = [&](size_t w) {
        for (size_t j = next++; j < jobs && !failed; j = next++) {
            try {
                job(j, w);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (j < error_job) {
                    error_job = j;
                    error = std::current_exception();
                }
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    for (size_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (std::thread& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

void OrderedOutput::done(size_t job, std::string text) {
    std::lock_guard<std::mutex> lock(mutex_);
    text_.at(job) = std::move(text);
    done_[job] = true;
    for (; next_ < done_.size() && done_[next_]; ++next_) {
        out_ << text_[next_] << std::flush;
        text_[next_].clear();
    }
}

}  // namespace nasflat
