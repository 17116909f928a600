import AudioIO
import COpenBLAS
import Encoders
import Foundation
import LibraryIndex
import ModelCore

/// `soundmap bench model`: the sgemm peak and CNN throughput, measured in the same run.
extension Benchmark {
    func model() {
        openblas_set_num_threads(2)
        sgemmPeak()
        // The networks share their blocks over both cores themselves, each calling a one-thread sgemm.
        openblas_set_num_threads(1)
        spectrogramCNNInference()
        sampleCNNInference()
        training()
    }

    private func gigaflops(_ operations: Double, _ seconds: Double) -> Double { operations / seconds / 1e9 }

    /// cblas_sgemm on two threads: the ceiling the convolutions are measured against.
    func sgemmPeak() {
        var random = SeededRandom(seed: 1)
        for (name, m, k, n) in [("sgemm,2048", 2048, 2048, 2048), ("sgemm,conv", 128, 1152, 24_576)] {
            let a = Tensor.random([m, k], using: &random)
            let b = Tensor.random([k, n], using: &random)
            var c = [Float](repeating: 0, count: m * n)
            let seconds = median {
                c.withUnsafeMutableBufferPointer { out in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a.values, Int32(k),
                                b.values, Int32(n), 0, out.baseAddress, Int32(n))
                }
            }
            report("model", name, gigaflops(2 * Double(m * n * k), seconds), "GFLOP/s")
        }
    }

    /// Five blocks of 3×3 convolution (batch norm folded in), ReLU and 2×2 max pooling on a
    /// 96-band × 256-frame spectrogram, then the mean over what is left: the spectrogram encoder's shape.
    private func spectrogramCNNInference() {
        var random = SeededRandom(seed: 2)
        let batch = 32
        let channels = [1, 32, 64, 128, 256, 512]
        let weights = (0..<5).map { random.kaiming([3, 3, channels[$0], channels[$0 + 1]], fanIn: 9 * channels[$0]) }
        let biases = (0..<5).map { Tensor.random([channels[$0 + 1]], using: &random, scale: 0.1) }
        let input = Tensor.random([batch, 96, 256, 1], using: &random)
        var layerSeconds = [Double](repeating: 0, count: 5)
        var layerOperations = [Double](repeating: 0, count: 5)
        let seconds = median {
            var x = input
            for layer in 0..<5 {
                let geometry = WindowGeometry.same(kernelHeight: 3, kernelWidth: 3, height: x.shape[1], width: x.shape[2])
                let start = DispatchTime.now().uptimeNanoseconds
                let pooled = Conv2DInference.forward(input: x, weight: weights[layer], bias: biases[layer], geometry: geometry,
                                                     epilogue: ConvolutionEpilogue(relu: true, pooling: .max(height: 2, width: 2)),
                                                     threads: 2)
                layerSeconds[layer] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                layerOperations[layer] = 2 * Double(batch * x.shape[1] * x.shape[2] * channels[layer + 1]) * Double(9 * channels[layer])
                x = pooled
            }
            _ = GlobalPool.meanForward(x.reshaped([batch, x.shape[1] * x.shape[2], x.shape[3]]))
        }
        report("model", "spec2d,infer,batch=\(batch)", Double(batch) / seconds, "examples/s",
               extra: ["gflops": String(format: "%.1f", gigaflops(layerOperations.reduce(0, +), seconds))])
        for layer in 0..<5 {
            report("model", "spec2d,layer=\(layer + 1),infer,batch=\(batch)", gigaflops(layerOperations[layer], layerSeconds[layer]), "GFLOP/s")
        }
    }

    /// CLMR's SampleCNN on 59,049 samples: a strided first convolution, nine blocks of
    /// convolution (batch norm folded in), ReLU and max pooling by 3, and a last convolution.
    private func sampleCNNInference() {
        var random = SeededRandom(seed: 3)
        let batch = 32
        let channels = [128, 128, 128, 256, 256, 256, 256, 256, 256, 512, 512]
        let first = random.kaiming([3, 1, 128], fanIn: 3)
        let weights = (0..<10).map { random.kaiming([3, channels[$0], channels[$0 + 1]], fanIn: 3 * channels[$0]) }
        let input = Tensor.random([batch, 59_049, 1], using: &random)
        var operations = 0.0
        let seconds = median {
            operations = 0
            func convolve(_ x: Tensor, _ weight: Tensor, _ geometry: WindowGeometry, poolBy pool: Int) -> Tensor {
                let image = Conv2DInference.forward(input: x.reshaped([batch, 1, x.shape[1], x.shape[2]]),
                                                    weight: weight.reshaped([1] + weight.shape), bias: nil, geometry: geometry,
                                                    epilogue: ConvolutionEpilogue(relu: true, pooling: .max(height: 1, width: pool)),
                                                    threads: 2)
                operations += 2 * Double(image.count * pool) * Double(weight.count / weight.shape.last!)
                return image.reshaped([batch, image.shape[2], image.shape[3]])
            }
            var x = convolve(input, first, Conv1D.geometry(kernel: 3, stride: 3), poolBy: 1)
            for layer in 0..<10 {
                x = convolve(x, weights[layer], Conv1D.geometry(kernel: 3, padBefore: 1, padAfter: 1), poolBy: layer < 9 ? 3 : 1)
            }
        }
        report("model", "samplecnn,infer,batch=\(batch)", Double(batch) / seconds, "examples/s",
               extra: ["gflops": String(format: "%.1f", gigaflops(operations, seconds))])
    }
}

/// `soundmap bench musicnn`: the network alone over every patch of a folder's audio.
extension Benchmark {
    func musicnn(folder: String) throws {
        let network = try MusicnnNetwork(contentsOf: ModelFiles.url(for: "musicnn-mtt.safetensors"))
        var values: [Float] = []
        var patchCount = 0
        for file in try FileScanner.scan(roots: [PathBytes(folder)]).audioFiles {
            let samples = try AudioDecoder(path: file.path, outputRate: MusicnnFrontEnd.spectrogram.sampleRate).readAll()
            guard let patches = MusicnnFrontEnd.patches(of: MusicnnFrontEnd.spectrogram.spectrogram(of: samples)),
                  patches.shape[1] == MusicnnNetwork.patchFrames else { continue }
            values += patches.values
            patchCount += patches.shape[0]
        }
        let patchValues = MusicnnNetwork.patchFrames * MusicnnNetwork.bands
        let audioSeconds = Double(patchCount * MusicnnNetwork.patchFrames * 256) / 16_000
        openblas_set_num_threads(2)
        sgemmPeak()
        openblas_set_num_threads(1)
        // Both cores against TensorFlow's two threads: every convolution shared over both, or two
        // workers with a batch each on one core, as indexing runs it; and one core alone, also one
        // patch at a time (batching gains little: the convolutions by FFT work patch by patch).
        let batchSize = MusicnnEncoder.batchSize
        var bothCores: [Double] = []
        for (batch, threads, workers) in [(batchSize, 2, 1), (32, 2, 1), (batchSize, 1, 2), (batchSize, 1, 1), (1, 1, 1)] {
            let batches = (patchCount + batch - 1) / batch
            let seconds = median {
                Parallel.run(workers: workers) { worker in
                    for index in stride(from: worker, to: batches, by: workers) {
                        let (first, count) = (index * batch, min(batch, patchCount - index * batch))
                        let input = Tensor(shape: [count, MusicnnNetwork.patchFrames, MusicnnNetwork.bands],
                                           values: Array(values[(first * patchValues)..<((first + count) * patchValues)]))
                        _ = network.forward(patches: input, threads: threads)
                    }
                }
            }
            let cores = threads * workers
            if cores == 2 { bothCores.append(audioSeconds / seconds) }
            report("musicnn", "network,batch=\(batch)" + (workers == 2 ? ",two workers" : cores == 1 ? ",one core" : ""),
                   audioSeconds / seconds, "x realtime",
                   extra: ["patches": "\(patchCount)", "audio_seconds": String(format: "%.1f", audioSeconds),
                           "gflops": String(format: "%.1f", gigaflops(2 * MusicnnNetwork.multiplyAddsPerPatch * Double(patchCount), seconds))])
        }
        // Each tool's fastest way of using both cores (tools/bench_musicnn_tf.py reports its own).
        report("musicnn", "network,both cores,fastest", bothCores.max()!, "x realtime")
        musicnnLayers()
    }

    /// Each musicnn convolution alone (random weights of the real shapes, fused epilogue, batch 8,
    /// both cores), in GFLOP/s, to set beside the sgemm peak of `bench model`. The rate counts the
    /// direct convolution's multiply-adds, so the front-end layers, which run by FFT with a fraction
    /// of that arithmetic, can go past the peak (their names say so).
    private func musicnnLayers() {
        var random = SeededRandom(seed: 4)
        let batch = MusicnnEncoder.batchSize
        let spectrogram = Tensor.random([batch, MusicnnNetwork.patchFrames, MusicnnNetwork.bands, 1], using: &random)
        let frontEnd = Tensor.random([batch, 1, MusicnnNetwork.patchFrames, 561], using: &random)
        let midEnd = Tensor.random([batch, 1, MusicnnNetwork.patchFrames, 64], using: &random)
        let layers: [(String, Tensor, [Int], (Int, Int), Bool)] = [
            ("timbral_74,7x38,by FFT", spectrogram, [7, 38, 1, 204], (3, 3), true),
            ("timbral_77,7x67,by FFT", spectrogram, [7, 67, 1, 204], (3, 3), true),
            ("temporal_128,by FFT", spectrogram, [128, 1, 1, 51], (63, 64), true),
            ("temporal_64,by FFT", spectrogram, [64, 1, 1, 51], (31, 32), true),
            ("temporal_32,by FFT", spectrogram, [32, 1, 1, 51], (15, 16), true),
            ("midend_conv1,7x561", frontEnd, [1, 7, 561, 64], (0, 0), false),
            ("midend_conv2,7x64", midEnd, [1, 7, 64, 64], (0, 0), false),
        ]
        for (name, input, shape, timePadding, pooled) in layers {
            let weight = Tensor.random(shape, using: &random, scale: 0.1)
            let bias = Tensor.random([shape[3]], using: &random)
            let geometry = pooled
                ? WindowGeometry(kernelHeight: shape[0], kernelWidth: shape[1], padTop: timePadding.0, padBottom: timePadding.1)
                : Conv1D.geometry(kernel: 7, padBefore: 3, padAfter: 3)
            var outputs = 0
            let seconds = median {
                let output = Conv2DInference.forward(input: input, weight: weight, bias: bias, geometry: geometry,
                                                     epilogue: ConvolutionEpilogue(relu: true, pooling: pooled ? .maxOverWidth : .none), threads: 2)
                outputs = pooled ? output.count * geometry.outputWidth(input.shape[2]) : output.count
            }
            report("musicnn", "layer=\(name),batch=\(batch)", gigaflops(2 * Double(outputs * shape[0] * shape[1] * shape[2]), seconds),
                   "GFLOP/s")
        }
    }
}
