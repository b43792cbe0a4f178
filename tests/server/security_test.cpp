// Role boundaries against a real server (filled in below).
