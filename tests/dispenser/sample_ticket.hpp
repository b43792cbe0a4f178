#pragma once

#include "printer/ticket_content.hpp"

namespace luot::printer::testing {

// A ticket as a real centre would print it: long Vietnamese names with
// stacked diacritics, a priority class and documents to bring.
inline ticket_content sample_ticket() {
  ticket_content content;
  content.centre_name = "Bộ phận Một cửa Sở Lao động – Thương binh và Xã hội tỉnh Quảng Nam";
  content.category_name = "Người có công";
  content.number = "2047";
  content.priority_label = "Người cao tuổi";
  content.issued_at = "23/11/2026 09:41";
  content.people_ahead = 4;
  content.estimated_wait_seconds = 12 * 60;
  content.status_url = "https://motcua.quangnam.gov.vn/t/7Qx2LmN4pR8sKv3W";
  content.hotline = "1900 8198";
  content.documents = {"Căn cước công dân (bản chính)",
                       "Giấy chứng nhận người có công với cách mạng",
                       "Tờ khai đề nghị hưởng trợ cấp ưu đãi (mẫu số 01)"};
  return content;
}

}  // namespace luot::printer::testing
