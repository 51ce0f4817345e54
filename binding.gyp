{
  "targets": [
    {
      "target_name": "vrrp_io",
      "sources": ["runtime/addon/vrrp_io.c"],
      "cflags": ["-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"]
    }
  ]
}
