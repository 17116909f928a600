import Encoders
import Testing

@Suite struct FilterActivationsTests {
    @Test func keepsRunningMeansAndTheFirstStrongestClip() {
        var activations = FilterActivations(filterCount: 3, clipLength: 3)
        activations.observe([1, -2, 0.5], start: 0)
        activations.observe([3, -4, 0.5], start: 3)
        activations.observe([2, -1, 0.25], start: 6)
        #expect(activations.means == [2, -7.0 / 3, 1.25 / 3])
        #expect(activations.peaks == [3, -1, 0.5])
        #expect(activations.peakStarts == [3, 6, 0], "a tie keeps the earlier clip")
    }
}
