// The expressions of lineage scenarios: predicates, keys and scores over a host's or VM's
// attributes, sizes with units, the enclosing element (`vm.memory` in a migration's target
// pipeline), accumulateWhile's prefix, and errors that give their column.
#include <gtest/gtest.h>

#include "models/input_error.hpp"
#include "sim/lineage/world.hpp"

namespace rejuv::sim::lineage {
namespace {

struct Exprs : ::testing::Test {
  World w;
  uint32_t ibm30 = w.add_host("ibm30"), ibm31 = w.add_host("ibm31");
  uint32_t vm = w.add_vm("30-1", ibm30, 300.0 * (1 << 20), 0.1);
  void SetUp() override {
    w.host_num(World::host_cpu_ratio, ibm30) = 0.25;
    w.host_num(World::host_free_memory, ibm30) = 600.0 * (1 << 20);
    w.set_str(Kind::host, w.column(Kind::host, "role", ValueType::string), ibm30, "web");
    w.set_str(Kind::host, w.column(Kind::host, "role", ValueType::string), ibm31, "db");
  }
  Element host(uint32_t h) const { return w.element(Kind::host, h); }
  Expression compile(const std::string& text, ValueType t = ValueType::boolean,
                     ExprContext ctx = {}) {
    return Expression::compile(text, w, ctx, t, "/pipelines/0/steps/0/filter");
  }
  std::string error(const std::string& text, ValueType t = ValueType::boolean,
                    ExprContext ctx = {}) {
    try {
      compile(text, t, ctx);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
};

TEST_F(Exprs, PredicatesOverAHostsAttributesWithUnits) {
  const Expression e = compile("cpu_ratio < 0.3 and free_memory > 512MiB");
  EXPECT_TRUE(e.test({host(ibm30)}));
  EXPECT_FALSE(e.test({host(ibm31)}));
  EXPECT_TRUE(compile("role == \"web\" or not (cpu_ratio >= 25%)").test({host(ibm30)}));
  EXPECT_TRUE(compile("role != 'web' && cpu_ratio * 4 == 0 || free_memory / 1MiB == 0")
                  .test({host(ibm31)}));
  EXPECT_DOUBLE_EQ(compile("-free_memory / 1MiB + 2 * 3", ValueType::number).number({host(ibm30)}),
                   -600 + 6);
  EXPECT_DOUBLE_EQ(compile("1.5h - 30min", ValueType::number).number({host(ibm30)}), 3600);
  EXPECT_DOUBLE_EQ(compile("1GB", ValueType::number).number({host(ibm30)}), 1e9);
}

TEST_F(Exprs, TheEnclosingElementAndThePrefix) {
  // migrateToAny (figure 5): the candidate host has room for the VM being moved.
  const ExprContext target{Kind::host, {Kind::host, Kind::vm}, false};
  const Expression room = compile("free_memory > vm.memory", ValueType::boolean, target);
  const Element scope[] = {host(ibm31), w.element(Kind::vm, vm)};
  EXPECT_TRUE(room.test({host(ibm30), scope}));
  EXPECT_FALSE(room.test({host(ibm31), scope}));
  // accumulateWhile (figure 5): the memory taken so far stays under the host's free memory +
  // 256MiB.
  const ExprContext acc{Kind::vm, {Kind::host}, true};
  const Expression fits =
      compile("prefix.sum(memory) < host.free_memory + 256MiB", ValueType::boolean, acc);
  const Element hot[] = {host(ibm30)};
  std::vector<Element> prefix;
  EXPECT_TRUE(fits.test({w.element(Kind::vm, vm), hot, &prefix}));
  prefix.assign(3, w.element(Kind::vm, vm));  // 900 MiB taken
  EXPECT_FALSE(fits.test({w.element(Kind::vm, vm), hot, &prefix}));
  EXPECT_DOUBLE_EQ(compile("prefix.count + prefix.max(cpu)", ValueType::number, acc)
                       .number({w.element(Kind::vm, vm), hot, &prefix}),
                   3.1);
}

TEST_F(Exprs, ADefaultElementReadsAsZeroAndEmpty) {
  EXPECT_FALSE(compile("role == \"web\" or cpu_ratio > 0").test({Element{}}));
}

TEST_F(Exprs, ErrorsGiveTheColumnAndWhatWasExpected) {
  EXPECT_EQ(error("cpu_ratio < "),
            "/pipelines/0/steps/0/filter: column 13: expected a value, got the end (in \"cpu_ratio "
            "< \")");
  EXPECT_EQ(error("cpu_ratio < 0.8 and free_mem > 512MiB"),
            "/pipelines/0/steps/0/filter: column 21: unknown attribute \"free_mem\" of a host "
            "(known: name, memory, "
            "free_memory, cpu_ratio, cpus, vm_count, failures, role) (in \"cpu_ratio < 0.8 and "
            "free_mem > 512MiB\")");
  EXPECT_NE(
      error("free_memory > 512MB2").find("column 20: expected an operator or the end, got \"2\""),
      std::string::npos);
  EXPECT_NE(error("free_memory > 512XB").find("column 18: unknown unit \"XB\""), std::string::npos);
  EXPECT_NE(
      error("role < \"web\"").find("column 6: cannot compare a string with a string by \"<\""),
      std::string::npos);
  EXPECT_NE(error("cpu_ratio + 1").find("column 1: expected a condition, got a number"),
            std::string::npos);
  EXPECT_NE(error("role == \"web").find("column 9: this string has no closing quote"),
            std::string::npos);
  EXPECT_NE(error("vm.memory > 0")
                .find("column 1: \"vm.\" names the enclosing VM, and there is none here"),
            std::string::npos);
  EXPECT_NE(
      error("prefix.count > 1").find("column 1: \"prefix\" is only defined in accumulateWhile"),
      std::string::npos);
  EXPECT_NE(error("cpu_ratio < 0.8 )").find("column 17: expected an operator or the end"),
            std::string::npos);
  EXPECT_NE(error("cpu_ratio # 2").find("column 11: unexpected character '#'"), std::string::npos);
}

TEST_F(Exprs, SortKeysAreNumbersOrStrings) {
  EXPECT_EQ(Expression::compile_key("-memory", w, {Kind::vm}, "/k").type(), ValueType::number);
  EXPECT_EQ(Expression::compile_key("name", w, {Kind::vm}, "/k").type(), ValueType::string);
  EXPECT_THROW(Expression::compile_key("memory > 1", w, {Kind::vm}, "/k"), InputError);
}

}  // namespace
}  // namespace rejuv::sim::lineage
