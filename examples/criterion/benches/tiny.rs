//! A tiny criterion suite: a plain benchmark, a parameterised group with byte throughput, and one
//! with element throughput. Short measurement times keep one run of the harness quick; benchgate
//! does the rounds.
use std::hint::black_box;
use std::time::Duration;

use benchgate_criterion_example::{checksum, fibonacci};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn plain(c: &mut Criterion) {
    c.bench_function("fib 20", |b| b.iter(|| fibonacci(black_box(20))));
}

fn bytes(c: &mut Criterion) {
    let mut group = c.benchmark_group("checksum");
    for size in [1024usize, 16 * 1024] {
        let data = vec![7u8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &data, |b, d| {
            b.iter(|| checksum(black_box(d)))
        });
    }
    group.finish();
}

fn elements(c: &mut Criterion) {
    let mut group = c.benchmark_group("fib");
    group.throughput(Throughput::Elements(30));
    group.bench_function(BenchmarkId::new("iterative", 30), |b| {
        b.iter(|| fibonacci(black_box(30)))
    });
    group.finish();
}

fn quick() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_millis(500))
        .sample_size(10)
        .without_plots()
}

criterion_group! {
    name = benches;
    config = quick();
    targets = plain, bytes, elements
}
criterion_main!(benches);
