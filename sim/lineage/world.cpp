#include "sim/lineage/world.hpp"

#include <algorithm>
#include <stdexcept>

namespace rejuv::sim::lineage {

std::string_view name(Kind k) { return k == Kind::host ? "host" : "vm"; }

std::optional<ObjectId> lineage_identity(const Element& e) {
  if (!e.world) return std::nullopt;
  return object_id(e.kind, e.index);
}

std::string lineage_display(const Element& e) {
  return e.world ? e.world->name(e.kind, e.index) : "(default)";
}

World::World() {
  for (const char* s : {"", "running", "shutoff", "crashed", "undefined"}) intern(s);
  for (const char* c : {"name"}) column(Kind::host, c, ValueType::string);
  for (const char* c : {"memory", "free_memory", "cpu_ratio", "cpus", "vm_count", "failures"})
    column(Kind::host, c, ValueType::number);
  column(Kind::vm, "name", ValueType::string);
  column(Kind::vm, "memory", ValueType::number);
  column(Kind::vm, "cpu", ValueType::number);
  column(Kind::vm, "host", ValueType::string);
  column(Kind::vm, "state", ValueType::string);
}

uint32_t World::column(Kind k, const std::string& name, ValueType t) {
  Table& tab = table(k);
  if (auto it = tab.by_column_name.find(name); it != tab.by_column_name.end()) return it->second;
  const uint32_t c = uint32_t(tab.columns.size());
  Column col{name, t, {}, {}};
  if (t == ValueType::string)
    col.str.assign(tab.names.size(), intern(""));
  else
    col.num.assign(tab.names.size(), 0.0);
  tab.columns.push_back(std::move(col));
  tab.by_column_name.emplace(name, c);
  return c;
}

std::optional<World::ColumnRef> World::find_column(Kind k, std::string_view name) const {
  const Table& tab = table(k);
  auto it = tab.by_column_name.find(std::string(name));
  if (it == tab.by_column_name.end()) return std::nullopt;
  return ColumnRef{it->second, tab.columns[it->second].type};
}

std::vector<std::string> World::column_names(Kind k) const {
  std::vector<std::string> names;
  for (const auto& c : table(k).columns) names.push_back(c.name);
  return names;
}

int32_t World::intern(std::string_view text) {
  auto it = string_ids_.find(std::string(text));
  if (it != string_ids_.end()) return it->second;
  const int32_t id = int32_t(strings_.size());
  strings_.emplace_back(text);
  string_ids_.emplace(std::string(text), id);
  return id;
}

uint32_t World::add_row(Kind k, const std::string& name) {
  Table& tab = table(k);
  const uint32_t i = uint32_t(tab.names.size());
  tab.names.push_back(name);
  tab.by_name.emplace(name, i);
  for (auto& c : tab.columns) {
    if (c.type == ValueType::string)
      c.str.push_back(kEmpty);
    else
      c.num.push_back(0.0);
  }
  tab.columns[0].str[i] = intern(name);
  return i;
}

uint32_t World::add_host(const std::string& name) {
  const uint32_t h = add_row(Kind::host, name);
  vms_on_.emplace_back();
  host_ids_.push_back(backends::kNoId);
  return h;
}

uint32_t World::add_vm(const std::string& name, uint32_t host, double memory, double cpu) {
  const uint32_t v = add_row(Kind::vm, name);
  vms_.columns[vm_memory].num[v] = memory;
  vms_.columns[vm_cpu].num[v] = cpu;
  vms_.columns[vm_host].str[v] = hosts_.columns[host_name].str[host];
  vms_.columns[vm_state].str[v] = kShutoff;
  vm_host_.push_back(host);
  vm_exists_.push_back(true);
  vm_running_.push_back(false);
  domains_.push_back(backends::kNoId);
  vms_on_[host].push_back(v);
  hosts_.columns[host_vm_count].num[host] += 1;
  return v;
}

std::optional<uint32_t> World::find(Kind k, std::string_view name) const {
  const Table& tab = table(k);
  auto it = tab.by_name.find(std::string(name));
  if (it == tab.by_name.end()) return std::nullopt;
  return it->second;
}

std::vector<Element> World::hosts() const {
  std::vector<Element> v;
  v.reserve(count(Kind::host));
  for (uint32_t h = 0; h < count(Kind::host); ++h) v.push_back(Element{this, h, Kind::host});
  return v;
}

std::vector<Element> World::vms_of(uint32_t host) const {
  std::vector<Element> v;
  v.reserve(vms_on_[host].size());
  for (uint32_t vm : vms_on_[host]) v.push_back(Element{this, vm, Kind::vm});
  return v;
}

std::vector<Element> World::all_vms() const {
  std::vector<Element> v;
  for (uint32_t vm = 0; vm < count(Kind::vm); ++vm)
    if (vm_exists_[vm]) v.push_back(Element{this, vm, Kind::vm});
  return v;
}

void World::account(uint32_t vm, double sign) {
  const uint32_t h = vm_host_[vm];
  hosts_.columns[host_free_memory].num[h] -= sign * vms_.columns[vm_memory].num[vm];
  hosts_.columns[host_cpu_ratio].num[h] += sign * vms_.columns[vm_cpu].num[vm];
}

void World::set_running(uint32_t vm, bool running, std::string_view state) {
  if (vm_running_[vm] != running) account(vm, running ? 1.0 : -1.0);
  vm_running_[vm] = running;
  const int32_t id = state == "running"     ? kRunning
                     : state == "shutoff"   ? kShutoff
                     : state == "crashed"   ? kCrashed
                     : state == "undefined" ? kUndefined
                                            : intern(state);
  vms_.columns[vm_state].str[vm] = id;
}

void World::move_vm(uint32_t vm, uint32_t to) {
  const uint32_t from = vm_host_[vm];
  if (from == to) return;
  if (vm_running_[vm]) account(vm, -1.0);
  auto& list = vms_on_[from];
  list.erase(std::remove(list.begin(), list.end(), vm), list.end());
  hosts_.columns[host_vm_count].num[from] -= 1;
  vm_host_[vm] = to;
  vms_on_[to].push_back(vm);
  hosts_.columns[host_vm_count].num[to] += 1;
  vms_.columns[vm_host].str[vm] = hosts_.columns[host_name].str[to];
  if (vm_running_[vm]) account(vm, 1.0);
}

void World::remove_vm(uint32_t vm) {
  if (!vm_exists_[vm]) return;
  set_running(vm, false, "undefined");
  auto& list = vms_on_[vm_host_[vm]];
  list.erase(std::remove(list.begin(), list.end(), vm), list.end());
  hosts_.columns[host_vm_count].num[vm_host_[vm]] -= 1;
  vm_exists_[vm] = false;
  if (domains_[vm] != backends::kNoId) vm_by_domain_.erase(domains_[vm]);
}

void World::host_back(uint32_t host) {
  hosts_.columns[host_failures].num[host] += 1;
  for (uint32_t vm : vms_on_[host])
    if (vm_running_[vm]) set_running(vm, false, "crashed");
}

void World::set_domain(uint32_t vm, backends::DomainId d) {
  domains_[vm] = d;
  if (d != backends::kNoId) vm_by_domain_[d] = vm;
}

std::optional<uint32_t> World::vm_of_domain(backends::DomainId d) const {
  auto it = vm_by_domain_.find(d);
  if (it == vm_by_domain_.end()) return std::nullopt;
  return it->second;
}

std::optional<uint32_t> World::host_of_id(backends::HostId id) const {
  for (uint32_t h = 0; h < host_ids_.size(); ++h)
    if (host_ids_[h] == id) return h;
  return std::nullopt;
}

}  // namespace rejuv::sim::lineage
