#include "view/mirror.hpp"

#include <algorithm>

namespace luot::view {

namespace {

// Replaces the record of `list` whose key equals `record`'s, or appends it.
template <typename Record, typename Key>
bool replace(google::protobuf::RepeatedPtrField<Record>& list, const Record& record, Key key) {
  for (auto& existing : list) {
    if (key(existing) == key(record)) {
      if (existing.SerializeAsString() == record.SerializeAsString()) return false;
      existing = record;
      return true;
    }
  }
  *list.Add() = record;
  return true;
}

}  // namespace

change mirror::reset(const v1::View& view, std::vector<v1::Call>* calls_since) {
  change what;
  what.replaced = what.categories = what.counters = what.calls = true;
  what.ticket = view.has_ticket();
  what.devices = true;
  // Recent calls are most recent first; report the unseen ones oldest first.
  std::uint64_t newest = last_call_seq_;
  for (auto call = view.recent_calls().rbegin(); call != view.recent_calls().rend(); ++call) {
    if (call->seq() <= last_call_seq_) continue;
    if (calls_since != nullptr) calls_since->push_back(*call);
    newest = std::max(newest, call->seq());
  }
  if (has_view_ && newest > last_call_seq_ && !view.recent_calls().empty())
    what.new_call = view.recent_calls(0);
  last_call_seq_ = newest;
  view_ = view;
  has_view_ = true;
  return what;
}

change mirror::apply(const v1::ViewUpdate& update) {
  change what;
  if (!has_view_ || update.seq() < view_.seq()) return what;
  view_.set_seq(update.seq());
  if (update.has_at()) *view_.mutable_at() = update.at();
  if (!update.service_day().empty()) view_.set_service_day(update.service_day());
  if (update.day_closed() && !view_.recent_calls().empty()) {
    view_.clear_recent_calls();
    what.calls = true;
  }
  for (const auto& category : update.categories())
    what.categories |= replace(*view_.mutable_categories(), category,
                               [](const v1::Category& record) { return record.code(); });
  for (const auto& device : update.devices())
    what.devices |= replace(*view_.mutable_devices(), device,
                            [](const v1::DeviceStatus& record) { return record.device(); });
  for (const auto& counter : update.counters())
    what.counters |= replace(*view_.mutable_counters(), counter,
                             [](const v1::Counter& record) { return record.id(); });
  if (update.has_call() && update.call().seq() > last_call_seq_) {
    auto* calls = view_.mutable_recent_calls();
    *calls->Add() = update.call();
    // Newest first: rotate the added call to the front, then trim.
    std::rotate(calls->begin(), calls->end() - 1, calls->end());
    const auto limit = std::max<std::uint32_t>(1, view_.recent_calls_limit());
    while (static_cast<std::uint32_t>(calls->size()) > limit) calls->RemoveLast();
    last_call_seq_ = update.call().seq();
    what.calls = true;
    what.new_call = update.call();
  }
  if (update.has_ticket()) {
    what.ticket = view_.ticket().SerializeAsString() != update.ticket().SerializeAsString();
    *view_.mutable_ticket() = update.ticket();
  }
  return what;
}

const v1::Category* mirror::category(std::string_view code) const {
  for (const auto& category : view_.categories())
    if (category.code() == code) return &category;
  return nullptr;
}

const v1::Counter* mirror::counter(std::string_view id) const {
  for (const auto& counter : view_.counters())
    if (counter.id() == id) return &counter;
  return nullptr;
}

}  // namespace luot::view
