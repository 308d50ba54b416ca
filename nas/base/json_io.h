// json_io.h — reading the project's JSON files with one-line errors that name the file, the
// entry and the fix. Every loader in nas/ goes through these helpers, so every bad input gives
// a message of one shape:
//   "<file>: <entry>: <problem>; fix: <what to do>"
// e.g. "m.json: latency[3]: -1.5 is negative; fix: latencies are >= 0 ms; remove or re-measure it".
// Entries are spelled as JSON paths: `archs[17].ops[2]`, `values.synflow[5]`.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nasflat::nas {

using Json = nlohmann::json;

// Throws nasflat::Error "<file>: <entry>: <problem>; fix: <fix>" (entry or fix may be empty).
[[noreturn]] void file_error(const std::string& file, const std::string& entry,
                             const std::string& problem, const std::string& fix);

// Reads (bounded: kernels/base/file_io.h) and parses a whole file. Missing/unreadable/empty/oversized
// files, malformed or truncated JSON, numbers that overflow a double, and an object with the
// same key twice are errors. A UTF-8 byte-order mark is skipped.
Json read_json_file(const std::string& path);
// Writes `text` atomically (kernels/base/file_io.h: a unique temporary beside it, renamed on
// success), so a reader never sees half a file. Errors name the file.
void write_text_file(const std::string& path, const std::string& text);

// `key` of object `obj` at `entry` (the object's own path, "" for the root); missing -> error.
const Json& require_key(const Json& obj, const std::string& key, const std::string& file,
                        const std::string& entry = "");
// Joins an object path and a key / an array path and an index for messages.
std::string entry_key(const std::string& entry, const std::string& key);
std::string entry_at(const std::string& entry, size_t index);

// Typed reads of a value already located at `entry`. Wrong JSON type -> error naming both types.
std::string as_string(const Json& j, const std::string& file, const std::string& entry);
int64_t as_int(const Json& j, const std::string& file, const std::string& entry);
// A finite number (integers allowed).
double as_number(const Json& j, const std::string& file, const std::string& entry);
const Json& as_array(const Json& j, const std::string& file, const std::string& entry,
                     bool allow_empty = false);
const Json& as_object(const Json& j, const std::string& file, const std::string& entry);

// Convenience: require_key + the typed read.
std::string get_string(const Json& obj, const std::string& key, const std::string& file,
                       const std::string& entry = "");
int64_t get_int(const Json& obj, const std::string& key, const std::string& file,
                const std::string& entry = "");

// Architecture indices: a non-empty array of integers in [0, space_size). With
// strictly_increasing, duplicates and out-of-order entries are errors (device files); without,
// only duplicates are (user files keep their order).
std::vector<int32_t> get_index_array(const Json& obj, const std::string& key,
                                     const std::string& file, int space_size,
                                     bool strictly_increasing, const std::string& entry = "");

// How get_number_array treats JSON null and negative values.
enum class NullPolicy { Reject, AsNaN };
enum class SignPolicy { AnySign, NonNegative };
// A non-empty array of finite numbers; nulls become NaN only with NullPolicy::AsNaN.
// `what` names the quantity in messages ("latency", "proxy value").
std::vector<double> get_number_array(const Json& obj, const std::string& key,
                                     const std::string& file, NullPolicy nulls, SignPolicy sign,
                                     const std::string& what, const std::string& entry = "");

// The entry of `names` closest to `name` by edit distance, for "did you mean" hints; "" when
// nothing is reasonably close.
std::string closest_name(const std::string& name, const std::vector<std::string>& names);
// "a, b, c" (at most `max_items`, then ", ... (N in all)").
std::string join_names(const std::vector<std::string>& names, size_t max_items = 60);
// "a,b, c" -> {a, b, c}: a comma-separated list of names (spaces and empty items dropped).
std::vector<std::string> split_names(const std::string& text);

}  // namespace nasflat::nas
