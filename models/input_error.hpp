#pragma once
// One error type for every reader of user input: it carries the place (a JSON pointer such as
// "/warm/downtime", or "file:line:column") and a message saying what was expected and what was
// found. The CLI prints "<file>: <where>: <what>" and exits with status 2.
#include <stdexcept>
#include <string>

namespace rejuv {

class InputError : public std::runtime_error {
 public:
  InputError(std::string where, std::string what)
      : std::runtime_error(where.empty() ? what : where + ": " + what),
        where_(std::move(where)),
        what_(std::move(what)) {}
  const std::string& where() const { return where_; }
  const std::string& message() const { return what_; }

 private:
  std::string where_;
  std::string what_;
};

}  // namespace rejuv
