// Vietnamese catalogue: the first language of every screen, ticket and page.
#include "text/catalogue_tables.hpp"

namespace luot::text::detail {

namespace {

constexpr entry table[] = {
    // Errors, by stable code.
    {"error.ERROR_CODE_UNSPECIFIED", "Đã xảy ra lỗi."},
    {"error.ERROR_CODE_BAD_REQUEST", "Yêu cầu không hợp lệ: {0}"},
    {"error.ERROR_CODE_MALFORMED_MESSAGE", "Thông điệp không đúng định dạng: {0}"},
    {"error.ERROR_CODE_MESSAGE_TOO_LARGE", "Thông điệp quá lớn (tối đa {0} byte)."},
    {"error.ERROR_CODE_UNAUTHENTICATED", "Cần đăng nhập để thực hiện thao tác này."},
    {"error.ERROR_CODE_PERMISSION_DENIED", "Không có quyền thực hiện thao tác này: {0}"},
    {"error.ERROR_CODE_NOT_FOUND", "Không tìm thấy: {0}"},
    {"error.ERROR_CODE_RATE_LIMITED", "Quá nhiều yêu cầu, vui lòng thử lại sau ít phút."},
    {"error.ERROR_CODE_UNAVAILABLE", "Hệ thống tạm thời không sẵn sàng, vui lòng thử lại."},
    {"error.ERROR_CODE_INTERNAL", "Lỗi hệ thống, vui lòng báo cán bộ hỗ trợ."},
    {"error.ERROR_CODE_UNKNOWN_CATEGORY", "Không có lĩnh vực \"{0}\"."},
    {"error.ERROR_CODE_UNKNOWN_COUNTER", "Không có quầy \"{0}\"."},
    {"error.ERROR_CODE_UNKNOWN_TICKET", "Không tìm thấy số thứ tự \"{0}\"."},
    {"error.ERROR_CODE_UNKNOWN_PRIORITY_CLASS", "Không có đối tượng ưu tiên \"{0}\"."},
    {"error.ERROR_CODE_UNKNOWN_OUTCOME", "Không có kết quả xử lý \"{0}\"."},
    {"error.ERROR_CODE_COUNTER_NOT_SERVING_CATEGORY", "Quầy {0} không tiếp nhận lĩnh vực \"{1}\"."},
    {"error.ERROR_CODE_NOTHING_WAITING", "Không còn công dân nào đang chờ cho quầy {0}."},
    {"error.ERROR_CODE_COUNTER_CLOSED", "Quầy {0} đang đóng."},
    {"error.ERROR_CODE_COUNTER_PAUSED", "Quầy {0} đang tạm nghỉ."},
    {"error.ERROR_CODE_COUNTER_BUSY",
     "Quầy {0} đang phục vụ số {1}; hãy kết thúc, tạm giữ hoặc chuyển số này trước."},
    {"error.ERROR_CODE_NO_CURRENT_TICKET", "Quầy {0} không có số nào đang phục vụ."},
    {"error.ERROR_CODE_CATEGORY_OUTSIDE_HOURS", "Lĩnh vực \"{0}\" ngoài giờ làm việc."},
    {"error.ERROR_CODE_CATEGORY_LIMIT_REACHED", "Lĩnh vực \"{0}\" đã hết số trong ngày."},
    {"error.ERROR_CODE_CATEGORY_CLOSED", "Lĩnh vực \"{0}\" tạm ngừng tiếp nhận."},
    {"error.ERROR_CODE_TICKET_NOT_WAITING", "Số {0} không ở trạng thái đang chờ."},
    {"error.ERROR_CODE_TICKET_NOT_PARKED", "Số {0} không được tạm giữ tại quầy này."},
    {"error.ERROR_CODE_RETURN_TOO_LATE", "Số {0} đã quá thời gian cho phép quay lại."},
    {"error.ERROR_CODE_TICKET_NOT_NO_SHOW", "Số {0} không phải số vắng mặt."},
    {"error.ERROR_CODE_TRANSFER_TARGET_INVALID", "Không thể chuyển: {0}"},
    {"error.ERROR_CODE_COUNTER_NOT_PAUSED", "Quầy {0} không tạm nghỉ."},
    {"error.ERROR_CODE_COUNTER_ALREADY_OPEN", "Quầy {0} đã mở."},
    {"error.ERROR_CODE_CATEGORY_NOT_CLOSED", "Lĩnh vực \"{0}\" không bị tạm ngừng."},
    {"error.ERROR_CODE_AMBIGUOUS_TICKET", "Số {0} có ở nhiều lĩnh vực; hãy chọn lĩnh vực."},

    // Reasons inside errors (arguments written "@reason.x|a|b").
    {"reason.display_no_commands", "màn hình hiển thị không được gửi lệnh"},
    {"reason.counters_open_on_sign_in", "quầy chỉ mở khi cán bộ đăng nhập"},
    {"reason.staff_only", "chỉ dành cho cán bộ"},
    {"reason.managers_only", "chỉ dành cho người quản lý"},
    {"reason.officers_only", "chỉ dành cho cán bộ tại quầy"},
    {"reason.other_counter", "bạn đăng nhập tại quầy {0}, không phải quầy {1}"},
    {"reason.counter_staffed_by", "quầy {0} đang do cán bộ {1} phụ trách"},
    {"reason.counter_not_allowed", "bạn không được phân công tại quầy {0}"},

    // Category status, for kiosks greying a button.
    {"category.status.CATEGORY_STATUS_OPEN", "Đang tiếp nhận"},
    {"category.status.CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS", "Ngoài giờ làm việc"},
    {"category.status.CATEGORY_STATUS_CLOSED_LIMIT_REACHED", "Đã hết số trong ngày"},
    {"category.status.CATEGORY_STATUS_CLOSED_MANUALLY", "Tạm ngừng"},
};

}  // namespace

std::span<const entry> vietnamese() {
  return table;
}

}  // namespace luot::text::detail
