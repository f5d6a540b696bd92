using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>
/// Reads a JSON body with the API's own answers for every way it can be wrong: 413 over the size limit (checked
/// while reading, so a chunked body is bounded too), 415 for another media type, 400 for malformed JSON with the
/// parser's location. Binding it in the handler rather than by the framework keeps these answers identical on
/// Kestrel and in test servers.
/// </summary>
internal static class JsonBody
{
    public static async ValueTask<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext context, int limit)
        where T : class
    {
        HttpRequest request = context.Request;
        if (request.ContentType is not null && !request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType(request.ContentType));
        }

        if (request.ContentLength > limit)
        {
            return (null, Problems.TooLarge(limit));
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1L, (request.ContentLength ?? 4096) + 1));
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return (null, Problems.TooLarge(limit));
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1L, buffer.Length * 2L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > limit)
            {
                return (null, Problems.TooLarge(limit));
            }

            if (length == 0)
            {
                return (null, Problems.MalformedJson("the request needs a JSON body"));
            }

            var type = (JsonTypeInfo<T>)SerializerOptions(context).GetTypeInfo(typeof(T));
            T? value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
            return value is null ? (null, Problems.MalformedJson("the body is null; a JSON object is expected")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.MalformedJson(e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own body limit (set further out than ours) should not fire first, but if configured so, it means the same.
            return (null, Problems.TooLarge(limit));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsonSerializerOptions SerializerOptions(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
}
