@testable import Analysis
import Testing

@Suite struct ReleaseYearReportTests {
    // 2000: predictions 1990, 1998, 2000, 2002, 2030 (an outlier); 2010: 2004, 2008.
    static let report = ReleaseYearReport(years: [2000, 2010, 2000, 2000, 2010, 2000, 2000],
                                          predictions: [1990, 2004, 1998, 2000, 2008, 2002, 2030])

    @Test func overallAndPerYearErrors() {
        #expect(abs(Self.report.meanAbsoluteError - Double(10 + 6 + 2 + 0 + 2 + 2 + 30) / 7) < 1e-12)
        #expect(Self.report.perYear.map(\.year) == [2000, 2010])
        #expect(Self.report.perYear.map(\.count) == [5, 2])
        #expect(Self.report.perYear[0].meanAbsoluteError == 44.0 / 5)
        #expect(Self.report.perYear[1].meanAbsoluteError == 4)
        #expect(Self.report.perYear[1].meanPrediction == 2006)
    }

    @Test func boxFigures() {
        let year = Self.report.perYear[0]
        // np.quantile([1990, 1998, 2000, 2002, 2030], [.25, .5, .75]) = [1998, 2000, 2002]; reach 1.5 × 4 = 6.
        #expect([year.lowerQuartile, year.median, year.upperQuartile] == [1998, 2000, 2002])
        #expect(year.lowerWhisker == 1998)
        #expect(year.upperWhisker == 2002)
    }

    @Test func histogramsShareEdgesSpanningAllPredictions() {
        let edges = Self.report.histogramEdges
        #expect(edges.count == ReleaseYearReport.histogramBinCount + 1)
        #expect(edges.first == 1990 && edges.last == 2030)
        #expect(Self.report.perYear.map { $0.histogram.reduce(0, +) } == [5, 2])
        // 40 years over 24 bins: 1990 is in the first bin and 2030 in the last.
        #expect(Self.report.perYear[0].histogram.first == 1 && Self.report.perYear[0].histogram.last == 1)
    }

    @Test func identicalPredictionsStillGetABin() {
        let report = ReleaseYearReport(years: [1999, 2001], predictions: [2000, 2000])
        #expect(report.histogramEdges.first! < 2000 && report.histogramEdges.last! > 2000)
        #expect(report.perYear.allSatisfy { $0.histogram.reduce(0, +) == 1 })
    }
}
