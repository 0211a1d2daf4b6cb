#pragma once
// What a lineage scenario's pipelines see and act on: hosts and VMs with their attributes, as
// columns, kept current as operations succeed (a VM's memory and CPU count against its host while
// it runs). The backend is the world; this is the controller's view of it (Kumoi's objects).
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/backends/backend.hpp"
#include "sim/lineage/element.hpp"
#include "sim/lineage/expression.hpp"

namespace rejuv::sim::lineage {

class World {
 public:
  // Built-in attributes, present on every host or VM (their columns come first, in this order).
  enum HostColumn : uint32_t {
    host_name,
    host_memory,
    host_free_memory,
    host_cpu_ratio,
    host_cpus,
    host_vm_count,
    host_failures
  };
  enum VmColumn : uint32_t { vm_name, vm_memory, vm_cpu, vm_host, vm_state };

  World();
  // Strings interned by every world in this order, so that their ids are the same in each.
  static constexpr int32_t kEmpty = 0, kRunning = 1, kShutoff = 2, kCrashed = 3, kUndefined = 4;

  // --- attributes -----------------------------------------------------------------------------
  // The column of attribute `name`, added with type `t` if missing.
  uint32_t column(Kind k, const std::string& name, ValueType t);
  struct ColumnRef {
    uint32_t index;
    ValueType type;
  };
  std::optional<ColumnRef> find_column(Kind k, std::string_view name) const;
  std::vector<std::string> column_names(Kind k) const;
  double num(Kind k, uint32_t col, uint32_t i) const { return table(k).columns[col].num[i]; }
  int32_t str(Kind k, uint32_t col, uint32_t i) const { return table(k).columns[col].str[i]; }
  void set_num(Kind k, uint32_t col, uint32_t i, double v) { table(k).columns[col].num[i] = v; }
  void set_str(Kind k, uint32_t col, uint32_t i, std::string_view v) {
    table(k).columns[col].str[i] = intern(v);
  }
  double& host_num(uint32_t col, uint32_t h) { return hosts_.columns[col].num[h]; }
  double& vm_num(uint32_t col, uint32_t v) { return vms_.columns[col].num[v]; }

  int32_t intern(std::string_view text);
  const std::string& text(int32_t id) const { return strings_[size_t(id)]; }

  // --- elements -------------------------------------------------------------------------------
  uint32_t add_host(const std::string& name);
  // A VM on host h, shut off, with no memory or CPU counted yet (see set_running).
  uint32_t add_vm(const std::string& name, uint32_t host, double memory, double cpu);
  size_t count(Kind k) const { return table(k).names.size(); }
  const std::string& name(Kind k, uint32_t i) const { return table(k).names[i]; }
  std::optional<uint32_t> find(Kind k, std::string_view name) const;
  Element element(Kind k, uint32_t i) const { return Element{this, i, k}; }

  // Every host, in the order of the scenario (`pms` of the paper).
  std::vector<Element> hosts() const;
  // The VMs on host h (`pm.vms`), in the order they came.
  std::vector<Element> vms_of(uint32_t host) const;
  // Every VM that exists.
  std::vector<Element> all_vms() const;
  uint32_t host_of(uint32_t vm) const { return vm_host_[vm]; }
  bool exists(uint32_t vm) const { return vm_exists_[vm]; }
  bool running(uint32_t vm) const { return vm_running_[vm]; }

  // --- changes, as operations succeed ----------------------------------------------------------
  void set_running(uint32_t vm, bool running, std::string_view state);
  void move_vm(uint32_t vm, uint32_t to);
  void remove_vm(uint32_t vm);
  // A failed host is back: the controller learns of the failure (its `failures` count) and that
  // the VMs it thought running there have crashed. Until then its view of the host is stale: a
  // controller does not see inside a dead machine, and finds out by acting on it.
  void host_back(uint32_t host);

  // --- the backend's ids ----------------------------------------------------------------------
  backends::HostId host_id(uint32_t h) const { return host_ids_[h]; }
  void set_host_id(uint32_t h, backends::HostId id) { host_ids_[h] = id; }
  backends::DomainId domain(uint32_t vm) const { return domains_[vm]; }
  void set_domain(uint32_t vm, backends::DomainId d);
  std::optional<uint32_t> vm_of_domain(backends::DomainId d) const;
  std::optional<uint32_t> host_of_id(backends::HostId id) const;

 private:
  struct Column {
    std::string name;
    ValueType type;
    std::vector<double> num;
    std::vector<int32_t> str;
  };
  struct Table {
    std::vector<Column> columns;
    std::unordered_map<std::string, uint32_t> by_column_name;
    std::vector<std::string> names;
    std::unordered_map<std::string, uint32_t> by_name;
  };
  Table& table(Kind k) { return k == Kind::host ? hosts_ : vms_; }
  const Table& table(Kind k) const { return k == Kind::host ? hosts_ : vms_; }
  uint32_t add_row(Kind k, const std::string& name);
  void account(uint32_t vm, double sign);  // the VM's memory and CPU on its host

  Table hosts_, vms_;
  std::vector<std::string> strings_;
  std::unordered_map<std::string, int32_t> string_ids_;
  std::vector<std::vector<uint32_t>> vms_on_;  // per host
  std::vector<uint32_t> vm_host_;
  std::vector<bool> vm_exists_, vm_running_;
  std::vector<backends::HostId> host_ids_;
  std::vector<backends::DomainId> domains_;
  std::unordered_map<backends::DomainId, uint32_t> vm_by_domain_;
};

}  // namespace rejuv::sim::lineage
