{
  "variables": {
    "cuda_home%": "/usr/local/cuda",
    "cuda_objects%": ""
  },
  "targets": [
    {
      "target_name": "benchgate_cuda",
      "sources": ["../src/cuda_addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "../src"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-O2", "-std=c++17", "-fexceptions"],
      "libraries": [
        "<(cuda_objects)",
        "-L<(cuda_home)/lib64",
        "-lcudart_static",
        "-lrt",
        "-ldl",
        "-lpthread"
      ]
    }
  ]
}
