/// The polyphase filter for converting between two sample rates by a rational factor L/M.
///
/// A Kaiser-windowed sinc low-pass at 0.918 × the lower Nyquist frequency: with 32 zero
/// crossings a side and β = 9, everything at or above the lower Nyquist frequency is
/// attenuated by about 90 dB, so nothing aliases, and the pass band is flat to ~84 % of it.
public struct ResamplerDesign: Sendable {
    public let inputRate: Int
    public let outputRate: Int
    /// Interpolation factor L and decimation factor M, coprime.
    public let upFactor: Int
    public let downFactor: Int
    public let tapsPerPhase: Int
    /// `upFactor` phases of `tapsPerPhase` coefficients, phase-major; each phase sums to 1.
    public let coefficients: [Float]

    public static let maxPhases = 1024

    public init(inputRate: Int, outputRate: Int, zeroCrossings: Int = 32, kaiserBeta: Double = 9,
                cutoffFraction: Double = 0.918) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        self.inputRate = inputRate
        self.outputRate = outputRate
        let (up, down) = ResamplerDesign.ratio(from: inputRate, to: outputRate)
        upFactor = up
        downFactor = down
        let cutoff = cutoffFraction * Double(min(inputRate, outputRate)) / 2
        let normalizedCutoff = cutoff / Double(inputRate)
        let halfTaps = Int((Double(zeroCrossings) / (2 * normalizedCutoff)).rounded(.up))
        tapsPerPhase = 2 * halfTaps
        var table = [Float](repeating: 0, count: up * tapsPerPhase)
        for phase in 0..<up {
            var phaseTaps = [Double](repeating: 0, count: tapsPerPhase)
            for tap in 0..<tapsPerPhase {
                // Distance, in input samples, from the output instant to this tap's input sample.
                let distance = Double(phase) / Double(up) + Double(halfTaps - 1 - tap)
                phaseTaps[tap] = 2 * normalizedCutoff * normalizedSinc(2 * normalizedCutoff * distance)
                    * kaiser(distance / Double(halfTaps), beta: kaiserBeta)
            }
            let gain = phaseTaps.reduce(0, +)
            for tap in 0..<tapsPerPhase { table[phase * tapsPerPhase + tap] = Float(phaseTaps[tap] / gain) }
        }
        coefficients = table
    }

    /// L/M = outputRate/inputRate in lowest terms; a ratio that would need more than
    /// `maxPhases` phases is replaced by its closest approximation that does not (the
    /// pitch error stays below a tenth of a cent).
    static func ratio(from inputRate: Int, to outputRate: Int) -> (up: Int, down: Int) {
        let divisor = greatestCommonDivisor(inputRate, outputRate)
        let (up, down) = (outputRate / divisor, inputRate / divisor)
        if up <= maxPhases { return (up, down) }
        // Continued-fraction convergents of outputRate/inputRate.
        let target = Double(outputRate) / Double(inputRate)
        var (previousUp, previousDown) = (1, 0)
        var (currentUp, currentDown) = (Int(target), 1)
        var remainder = target - Double(Int(target))
        while remainder > 1e-12 {
            let inverse = 1 / remainder
            let term = Int(inverse)
            let (nextUp, nextDown) = (term * currentUp + previousUp, term * currentDown + previousDown)
            if nextUp > maxPhases { break }
            (previousUp, previousDown, currentUp, currentDown) = (currentUp, currentDown, nextUp, nextDown)
            remainder = inverse - Double(term)
        }
        return (max(currentUp, 1), max(currentDown, 1))
    }
}

/// Streaming sample-rate converter: feed input blocks, collect output blocks.
///
/// Output sample n sits at input time n·M/L, and the filter is centred on it, so the
/// output is aligned with the input (no delay) and has ⌈inputCount·L/M⌉ samples.
public final class Resampler {
    public let design: ResamplerDesign
    private var history: [Float]
    /// Absolute input index of `history[0]`; negative indices are the zeros before the start.
    private var historyStart: Int
    private var outputIndex = 0
    private var inputCount = 0

    public init(design: ResamplerDesign) {
        self.design = design
        let leadingZeros = design.tapsPerPhase / 2 - 1
        history = [Float](repeating: 0, count: leadingZeros)
        historyStart = -leadingZeros
    }

    public convenience init(from inputRate: Int, to outputRate: Int) {
        self.init(design: ResamplerDesign(inputRate: inputRate, outputRate: outputRate))
    }

    /// Whether input passes through untouched.
    public var isIdentity: Bool { design.upFactor == 1 && design.downFactor == 1 }

    /// Appends the resampled form of `input` to `output`.
    public func process(_ input: UnsafeBufferPointer<Float>, into output: inout [Float]) {
        inputCount += input.count
        if isIdentity {
            output.append(contentsOf: input)
            return
        }
        history.append(contentsOf: input)
        produce(upTo: Int.max, into: &output)
    }

    public func process(_ input: [Float], into output: inout [Float]) {
        input.withUnsafeBufferPointer { process($0, into: &output) }
    }

    /// Flushes the tail: the outputs whose filters reach past the last input sample.
    public func finish(into output: inout [Float]) {
        guard !isIdentity else { return }
        history.append(contentsOf: repeatElement(0, count: design.tapsPerPhase))
        let total = (inputCount * design.upFactor + design.downFactor - 1) / design.downFactor
        produce(upTo: total, into: &output)
    }

    private func produce(upTo limit: Int, into output: inout [Float]) {
        let (up, down, taps) = (design.upFactor, design.downFactor, design.tapsPerPhase)
        let halfTaps = taps / 2
        let available = historyStart + history.count
        // Output n reads from input index ⌊n·M/L⌋ − halfTaps + 1 with phase (n·M) mod L;
        // both advance by fixed steps, so no division is needed per sample.
        let position = outputIndex * down
        var base = position / up
        var phase = position % up
        let (baseStep, phaseStep) = (down / up, down % up)
        output.reserveCapacity(output.count + (available - base) * up / down + 1)
        history.withUnsafeBufferPointer { samples in
            design.coefficients.withUnsafeBufferPointer { table in
                while outputIndex < limit {
                    let firstTap = base - halfTaps + 1
                    if firstTap + taps > available { break }
                    output.append(dotProduct(samples.baseAddress! + (firstTap - historyStart),
                                             table.baseAddress! + phase * taps, count: taps))
                    outputIndex += 1
                    base += baseStep
                    phase += phaseStep
                    if phase >= up {
                        phase -= up
                        base += 1
                    }
                }
            }
        }
        // Drop input no future output needs; in large steps so removal stays linear overall.
        let needed = outputIndex * down / up - halfTaps + 1
        let consumable = needed - historyStart
        if consumable > 16_384 {
            history.removeFirst(consumable)
            historyStart = needed
        }
    }
}
