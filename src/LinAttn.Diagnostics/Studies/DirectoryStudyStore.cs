using System.Text.Json;
using System.Text.Json.Nodes;

namespace LinAttn.Diagnostics.Studies;

/// <summary>An <see cref="IStudyStore"/> with one JSON file per unit, <c>{folder}/{key}.json</c>, holding
/// <c>{"fingerprint": ..., "result": ...}</c>. Files are written to a temporary name and then moved into place.</summary>
public sealed class DirectoryStudyStore : IStudyStore
{
    /// <summary>Creates the store (the folder is created on first save).</summary>
    public DirectoryStudyStore(string folder)
    {
        Check.That(!string.IsNullOrWhiteSpace(folder), nameof(folder), "folder must name a directory.");
        Folder = folder;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <inheritdoc />
    public string? Load(string key, string fingerprint)
    {
        string path = PathOf(key);
        if (!File.Exists(path)) return null;
        try
        {
            JsonNode? node = JsonNode.Parse(File.ReadAllText(path));
            if (node?["fingerprint"]?.GetValue<string>() != fingerprint) return null;
            return node["result"]?.ToJsonString();
        }
        catch (JsonException)
        {
            return null;   // a damaged file is recomputed
        }
    }

    /// <inheritdoc />
    public void Save(string key, string fingerprint, string json)
    {
        Directory.CreateDirectory(Folder);
        var node = new JsonObject { ["fingerprint"] = fingerprint, ["result"] = JsonNode.Parse(json) };
        string path = PathOf(key), temporary = path + ".tmp";
        File.WriteAllText(temporary, node.ToJsonString());
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string key)
    {
        Check.That(key.IndexOfAny(Path.GetInvalidFileNameChars()) < 0, nameof(key), $"key '{key}' must be a valid file name.");
        return Path.Combine(Folder, key + ".json");
    }
}
