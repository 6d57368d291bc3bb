using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Tests.Configuration;

public class JavaPropertiesTests
{
    [Theory]
    [InlineData("key=value")]
    [InlineData("key = value")]
    [InlineData("key: value")]
    [InlineData("key:value")]
    [InlineData("key value")]
    [InlineData("key\tvalue")]
    [InlineData("   key   =   value")]
    [InlineData("key =\t value")]
    public void ParseReadsKeyAndValueWhenAnySeparatorIsUsed(string line)
    {
        var properties = JavaProperties.Parse(line);

        Assert.Equal("value", Assert.Single(properties, p => p.Key == "key").Value);
    }

    [Fact]
    public void ParseKeepsTrailingWhitespaceOfValueWhenPresent()
    {
        var properties = JavaProperties.Parse("key=value  ");

        Assert.Equal("value  ", properties["key"]);
    }

    [Fact]
    public void ParseSkipsCommentsAndBlankLinesWhenPresent()
    {
        var text = "# comment\n! also a comment\n\n   \n  # indented comment\na=1\n";

        var properties = JavaProperties.Parse(text);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, properties);
    }

    [Fact]
    public void ParseTreatsHashAsValueTextWhenNotAtLineStart()
    {
        var properties = JavaProperties.Parse("a=1 # not a comment");

        Assert.Equal("1 # not a comment", properties["a"]);
    }

    [Fact]
    public void ParseJoinsLinesWhenLineEndsWithBackslash()
    {
        var text = "listeners=PLAINTEXT://:9092,\\\n          SSL://:9093\n";

        var properties = JavaProperties.Parse(text);

        Assert.Equal("PLAINTEXT://:9092,SSL://:9093", properties["listeners"]);
    }

    [Fact]
    public void ParseDoesNotJoinLinesWhenBackslashIsEscaped()
    {
        var properties = JavaProperties.Parse("a=c:\\\\\nb=2");

        Assert.Equal("c:\\", properties["a"]);
        Assert.Equal("2", properties["b"]);
    }

    [Fact]
    public void ParseReadsContinuationStartingWithHashWhenJoined()
    {
        var properties = JavaProperties.Parse("a=1\\\n  #2");

        Assert.Equal("1#2", properties["a"]);
    }

    [Fact]
    public void ParseHandlesAllLineEndingsWhenMixed()
    {
        var properties = JavaProperties.Parse("a=1\r\nb=2\rc=3\nd=4");

        Assert.Equal(["1", "2", "3", "4"], new[] { "a", "b", "c", "d" }.Select(k => properties[k]));
    }

    [Fact]
    public void ParseJoinsLinesWhenContinuationUsesCrLf()
    {
        var properties = JavaProperties.Parse("a=x\\\r\n  y\r\nb=z");

        Assert.Equal("xy", properties["a"]);
        Assert.Equal("z", properties["b"]);
    }

    [Theory]
    [InlineData(@"a=tab\there", "tab\there")]
    [InlineData(@"a=line\nbreak", "line\nbreak")]
    [InlineData(@"a=cr\rx", "cr\rx")]
    [InlineData(@"a=feed\fx", "feed\fx")]
    [InlineData(@"a=back\\slash", @"back\slash")]
    [InlineData(@"a=\u00e9t\u00E9", "été")]
    [InlineData(@"a=\=\:\ \#", "=: #")]
    [InlineData(@"a=\q", "q")]
    public void ParseDecodesEscapesWhenInValue(string line, string expected)
    {
        Assert.Equal(expected, JavaProperties.Parse(line)["a"]);
    }

    [Fact]
    public void ParseKeepsSeparatorsInKeyWhenEscaped()
    {
        var properties = JavaProperties.Parse(@"my\=key\:x\ y=v");

        Assert.Equal("v", properties["my=key:x y"]);
    }

    [Fact]
    public void ParseUsesOnlyFirstSeparatorWhenValueContainsMore()
    {
        var properties = JavaProperties.Parse("sasl.jaas.config=a=b:c");

        Assert.Equal("a=b:c", properties["sasl.jaas.config"]);
    }

    [Fact]
    public void ParseStripsOnlyOneSeparatorWhenTwoFollowTheKey()
    {
        var properties = JavaProperties.Parse("a==b");

        Assert.Equal("=b", properties["a"]);
    }

    [Fact]
    public void ParseGivesEmptyValueWhenLineHasOnlyKey()
    {
        Assert.Equal(string.Empty, JavaProperties.Parse("lonely")["lonely"]);
        Assert.Equal(string.Empty, JavaProperties.Parse("lonely=")["lonely"]);
    }

    [Fact]
    public void ParseKeepsLastValueWhenKeyIsRepeated()
    {
        var properties = JavaProperties.Parse("a=1\na=2\n");

        Assert.Equal("2", properties["a"]);
    }

    [Fact]
    public void ParseDropsBackslashWhenTextEndsWithContinuation()
    {
        var properties = JavaProperties.Parse("a=1\\");

        Assert.Equal("1", properties["a"]);
    }

    [Fact]
    public void ParseEndsContinuedValueWhenNextLineIsBlank()
    {
        var properties = JavaProperties.Parse("a=1\\\n\nb=2");

        Assert.Equal("1", properties["a"]);
        Assert.Equal("2", properties["b"]);
    }

    [Theory]
    [InlineData("a=1\nb=\\u12", 2)]
    [InlineData("# c\n\na=\\uZZZZ", 3)]
    [InlineData("a=x\\\n  y\nb=\\u00g1", 3)]
    public void ParseThrowsNamingLineWhenUnicodeEscapeIsMalformed(string text, int line)
    {
        var error = Assert.Throws<PropertiesFormatException>(() => JavaProperties.Parse(text));

        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith($"Line {line}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadNamesFileAndLineWhenEscapeIsMalformed()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "a=1\nb=\\u00\n");

            var error = Assert.Throws<PropertiesFormatException>(() => JavaProperties.Load(path));

            Assert.Equal(2, error.LineNumber);
            Assert.StartsWith($"{path}, line 2:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadDecodesLatin1WhenReadingFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. "a="u8.ToArray(), 0xE9]);

            Assert.Equal("é", JavaProperties.Load(path)["a"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
