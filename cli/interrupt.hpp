#pragma once
// Ctrl-C (SIGINT) and SIGTERM leave nothing half-made behind. The signals are taken by one thread
// (every other thread has them blocked); it waits for any file being written to be finished or
// abandoned, removes the folders a command created and has not finished filling, then lets the
// process die of the signal (status 128 + signal, as a shell expects).
//
// Files are written whole or not at all (write_atomic holds WriteLock while a temporary name
// exists), so only folders need registering.
#include <filesystem>
#include <mutex>

namespace rejuv::cli {

// Call once from main, before any thread starts.
void install_interrupt_cleanup();

// Held while a temporary file exists: an interruption waits until the file is renamed or removed.
std::unique_lock<std::mutex> write_lock();

// While registered, an empty folder is removed on interruption (deepest first).
void remove_folder_on_interrupt(const std::filesystem::path& dir);
void keep_folder_on_interrupt(const std::filesystem::path& dir);

}  // namespace rejuv::cli
