// A password and its stored form computed outside navolg, by Python's hashlib:
//
//   python3 -c "import hashlib, base64; b = lambda x: base64.b64encode(x).decode().rstrip('=');
//     salt = bytes(range(1, 17)); print('$pbkdf2-sha256$i=600000$' + b(salt) + '$' +
//     b(hashlib.pbkdf2_hmac('sha256', b'correct paard batterij nietje', salt, 600000)))"
//
// navolg must accept it (its format is plain PBKDF2-HMAC-SHA256, checkable with any tool),
// and tests store it for their users instead of spending a second on HashPassword each.
#pragma once

namespace navolg::testing {

inline constexpr const char* kKnownPassword = "correct paard batterij nietje";
inline constexpr const char* kKnownPasswordHash =
    "$pbkdf2-sha256$i=600000$AQIDBAUGBwgJCgsMDQ4PEA$4JcayIHNOJqYgLBWhVCbqdfqeQhIIoVClikFIQSYTPA";

}  // namespace navolg::testing
