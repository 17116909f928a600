import AudioIO
import Testing

@Suite struct AudioTagsTests {
    @Test(arguments: [("1987", 1987), ("2003-05-01", 2003), ("May 1999", 1999), ("c. 1971 (remaster 2011)", 1971),
                      ("12345", nil), ("", nil), ("99", nil)])
    func yearIsTheFirstPlausibleFourDigitNumber(date: String, year: Int?) {
        #expect(AudioTags.year(in: date) == year)
    }

    @Test func fileNamesGiveArtistAndTitle() {
        let tags = AudioTags.fromFileName(PathBytes("/music/Some Band - A Song - Live.flac"))
        #expect(tags.artist == "Some Band")
        #expect(tags.title == "A Song - Live")
        #expect(AudioTags.fromFileName(PathBytes("/music/03 Another_Song.ogg")).title == "Another Song")
        #expect(AudioTags.fromFileName(PathBytes("/music/1999.mp3")).title == "1999")
    }

    @Test func laterSourcesOverrideEarlierOnes() {
        let file = AudioTags(title: "File", artist: "A", date: "2001")
        let sidecar = AudioTags(title: "Sidecar", date: "1999")
        let merged = file.overridden(by: sidecar)
        #expect(merged.title == "Sidecar")
        #expect(merged.artist == "A")
        #expect(merged.year == 1999)
    }

    @Test func fileKindsByExtension() {
        #expect(AudioFileTypes.kind(of: PathBytes("/a/B.FLAC")) == .supported)
        #expect(AudioFileTypes.kind(of: PathBytes("/a/b.m4a")) == .unsupported(formatName: "AAC/ALAC in MP4"))
        #expect(AudioFileTypes.kind(of: PathBytes("/a/cover.jpg")) == .notAudio)
        #expect(AudioFileTypes.kind(of: PathBytes("/a/.flac")) == .notAudio)
    }
}
