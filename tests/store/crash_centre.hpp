#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "core/config.hpp"
#include "core/engine.hpp"

namespace luot::store::testing {

// The small centre the recovery and crash tests run: two categories with
// prefix numbering and one counter serving both. Built in code so the crash
// child and the test that checks it agree exactly.
inline core::centre_config crash_centre() {
  core::centre_config config;
  config.name = "Bộ phận một cửa – thử nghiệm";
  config.time_zone = "Asia/Ho_Chi_Minh";
  config.reset_time = std::chrono::minutes(0);

  core::category_config labour;
  labour.code = "A";
  labour.name_vi = "Lao động – Việc làm";
  labour.name_en = "Labour and employment";
  labour.format.style = core::number_format::kind::prefix;
  labour.format.prefix = "A";
  labour.format.width = 4;

  core::category_config merit;
  merit.code = "B";
  merit.name_vi = "Người có công";
  merit.name_en = "People with meritorious service";
  merit.format.style = core::number_format::kind::prefix;
  merit.format.prefix = "B";
  merit.format.width = 4;

  config.categories = {labour, merit};

  core::counter_config counter;
  counter.id = "Q1";
  counter.name_vi = "Quầy 1";
  counter.name_en = "Counter 1";
  counter.categories = {"A", "B"};
  config.counters = {counter};

  config.outcomes = {{"resolved", "Đã giải quyết", "Resolved"}};
  return config;
}

// Unguessable enough for a test; replay never asks for tokens.
inline core::token_source random_tokens() {
  return [generator = std::mt19937_64(std::random_device{}())]() mutable {
    return "token-" + std::to_string(generator());
  };
}

// 2026-03-05 09:00 in Hanoi: every test ticket is taken that service day.
inline core::timestamp centre_morning() {
  return core::timestamp(std::chrono::milliseconds(1'772'676'000'000));
}

inline v1::Command take_ticket(const std::string& category) {
  v1::Command command;
  command.mutable_take_ticket()->set_category(category);
  return command;
}

}  // namespace luot::store::testing
