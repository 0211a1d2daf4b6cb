#pragma once
// The small expressions of a scenario's steps: predicates (`cpu_ratio < 0.8 and free_memory >
// 512MiB`), sort keys (`-memory`), scores, and accumulateWhile's `prefix.sum(memory) <
// host.free_memory + 256MiB`.
//
//   expr    := or
//   or      := and { ("or" | "||") and }
//   and     := not { ("and" | "&&") not }
//   not     := ("not" | "!") not | compare
//   compare := sum [ ("<" | "<=" | ">" | ">=" | "==" | "!=") sum ]
//   sum     := product { ("+" | "-") product }
//   product := unary { ("*" | "/") unary }
//   unary   := "-" unary | primary
//   primary := number [unit] | "string" | true | false | "(" expr ")"
//            | attribute | host.attribute | vm.attribute
//            | prefix.count | prefix.sum(expr) | prefix.min(expr) | prefix.max(expr)
//
// A number may carry a unit: sizes ("512MiB", "1GB"), durations ("30s", "2h") or "%" (80% = 0.8).
// A bare attribute is the element's own; `host.` and `vm.` name the nearest enclosing element of
// that kind (the VM being migrated, in the migration target's pipeline); `prefix` is the part of
// the list accumulateWhile has taken so far. Types are checked when the expression is compiled:
// numbers, booleans and strings (== and != only), and every error gives its column.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/lineage/element.hpp"

namespace rejuv::sim::lineage {

class World;

enum class ValueType : uint8_t { number, boolean, string };
std::string_view name(ValueType t);

// Where an expression is evaluated: the element's kind, the kinds of the enclosing elements
// (outermost first), and whether a prefix is there.
struct ExprContext {
  Kind self = Kind::host;
  std::vector<Kind> enclosing{};
  bool prefix = false;
};

// What an expression reads at evaluation: the element, the enclosing elements (as in the
// context), and accumulateWhile's prefix. Attributes are read from the elements' world, so that a
// compiled expression serves every copy of the world it was compiled against; the default element
// of policy oblivious-default (no world) reads as 0 and "".
struct ExprEnv {
  Element self;
  const Element* enclosing = nullptr;
  const std::vector<Element>* prefix = nullptr;
};

class Expression {
 public:
  // Throws InputError(where, "column N: ...") for a syntax error, an unknown attribute, a type
  // mismatch, or a result that is not of type `want`.
  static Expression compile(const std::string& text, World& world, const ExprContext& ctx,
                            ValueType want, const std::string& where);
  // A number whose result is a number or a string (sortBy keys).
  static Expression compile_key(const std::string& text, World& world, const ExprContext& ctx,
                                const std::string& where);

  const std::string& text() const { return text_; }
  ValueType type() const { return type_; }
  bool test(const ExprEnv& env) const {
    switch (shape_) {
      case Shape::fused:
        return fused(nodes_[size_t(root_)], env);
      case Shape::fused_and:
        return fused(nodes_[size_t(first_)], env) && fused(nodes_[size_t(second_)], env);
      case Shape::fused_or:
        return fused(nodes_[size_t(first_)], env) || fused(nodes_[size_t(second_)], env);
      default:
        return eval(root_, env).num != 0;
    }
  }
  double number(const ExprEnv& env) const {
    if (shape_ == Shape::attribute || shape_ == Shape::negated_attribute) {
      const Node& a = nodes_[size_t(first_)];
      const double x = env.self.world ? attribute_of(a, env.self) : 0.0;
      return shape_ == Shape::attribute ? x : -x;
    }
    return eval(root_, env).num;
  }
  // A string result as its interned id (World::text).
  int32_t string_id(const ExprEnv& env) const { return eval(root_, env).str; }

 private:
  struct Value {
    double num = 0;
    int32_t str = -1;
  };
  enum class Op : uint8_t {
    constant,
    attribute,
    enclosing_attribute,
    prefix_count,
    prefix_sum,
    prefix_min,
    prefix_max,
    neg,
    add,
    sub,
    mul,
    div,
    lt,
    le,
    gt,
    ge,
    eq,
    ne,
    and_,
    or_,
    not_,
    // "attribute <op> constant" and "attribute <op> vm.attribute", the common predicates, fused
    // into one node (`cmp` holds <op>)
    attribute_vs_constant,
    attribute_vs_enclosing
  };
  struct Node {
    Op op;
    ValueType type;
    int32_t a = -1, b = -1;  // operand nodes
    Value constant{};
    Kind kind = Kind::host;  // attribute: whose
    uint32_t column = 0;
    uint32_t depth = 0;            // enclosing_attribute: index into the enclosing elements
    Op cmp = Op::eq;               // attribute_vs_constant, attribute_vs_enclosing
    Kind other_kind = Kind::host;  // attribute_vs_enclosing: the enclosing element's attribute
    uint32_t other_column = 0;
  };
  Value eval(int32_t n, const ExprEnv& env) const;
  static bool holds(Op cmp, double x, double y);
  static double attribute_of(const Node& n, const Element& e);
  static bool fused(const Node& n, const ExprEnv& env);
  // The shapes most predicates, keys and scores have, evaluated without the interpreter (at scale
  // an expression is evaluated for every host of every request).
  enum class Shape : uint8_t { general, fused, fused_and, fused_or, attribute, negated_attribute };
  void find_shape();
  Shape shape_ = Shape::general;
  int32_t first_ = -1, second_ = -1;
  friend class ExprParser;

  std::string text_;
  std::vector<Node> nodes_;
  int32_t root_ = -1;
  ValueType type_ = ValueType::number;
};

}  // namespace rejuv::sim::lineage
