{
  "targets": [
    {
      "target_name": "benchgate_native",
      "sources": [
        "src/addon.cc",
        "src/simd/cpu.cc",
        "src/simd/gemm_blocked_scalar.cc",
        "src/simd/gemm_packed.cc",
        "src/simd/gemm_generic.cc",
        "src/simd/gemm_avx2.cc",
        "src/simd/gemm_avx512.cc",
        "src/simd/gridding.cc",
        "src/simd/gridding_avx2.cc",
        "src/simd/gridding_avx512.cc",
        "src/simd/ode.cc",
        "src/simd/ode_avx2.cc",
        "src/simd/ode_avx512.cc",
        "src/simd/probe.cc",
        "src/simd/select.cc",
        "src/simd/select_avx2.cc",
        "src/simd/select_avx512.cc",
        "src/ref/openblas.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "src"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL"],
      "cflags!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-O2", "-O0"],
      "cflags": ["-O3", "-g1"],
      "cflags_cc": ["-O3", "-g1", "-std=c++17", "-fexceptions"],
      "libraries": ["-ldl", "-lpthread"]
    }
  ]
}
