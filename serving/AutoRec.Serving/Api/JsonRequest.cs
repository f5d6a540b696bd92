using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AutoRec.Serving.Configuration;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.Extensions.Options;

namespace AutoRec.Serving.Api;

/// <summary>
/// A request's JSON body, as an endpoint parameter: read with the API's own answers for every way it can be wrong,
/// 413 over <see cref="ServingOptions.MaxRequestBodyBytes"/> (checked while reading, so a chunked body is bounded
/// too), 415 for another media type, 400 for malformed JSON with the parser's location. Binding it ourselves rather
/// than by the framework keeps these answers identical on Kestrel and in test servers; the parameter also declares
/// the body and those answers in the endpoint's OpenAPI description.
/// </summary>
/// <typeparam name="T">The body's type (in <see cref="ServingJsonContext"/>).</typeparam>
internal sealed class JsonRequest<T> : IEndpointParameterMetadataProvider
    where T : class
{
    private JsonRequest(T body) => Body = body;

    /// <summary>The body.</summary>
    public T Body { get; }

    /// <summary>Binds the parameter: reads and parses the body.</summary>
    /// <exception cref="ProblemException">The body is too large, not JSON, or malformed.</exception>
    public static async ValueTask<JsonRequest<T>> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int limit = context.RequestServices.GetRequiredService<IOptions<ServingOptions>>().Value.MaxRequestBodyBytes;
        HttpRequest request = context.Request;
        if (request.ContentType is not null && !request.HasJsonContentType())
        {
            throw new ProblemException(Problems.UnsupportedMediaType(request.ContentType));
        }

        if (request.ContentLength > limit)
        {
            throw new ProblemException(Problems.TooLarge(limit));
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
                        throw new ProblemException(Problems.TooLarge(limit));
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
                throw new ProblemException(Problems.TooLarge(limit));
            }

            if (length == 0)
            {
                throw new ProblemException(Problems.MalformedJson("the request needs a JSON body"));
            }

            var type = (JsonTypeInfo<T>)SerializerOptions(context).GetTypeInfo(typeof(T));
            T? value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
            return value is null ? throw new ProblemException(Problems.MalformedJson("the body is null; a JSON object is expected")) : new JsonRequest<T>(value);
        }
        catch (JsonException e)
        {
            throw new ProblemException(Problems.MalformedJson(e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own body limit (set further out than ours) should not fire first, but if configured so, it means the same.
            throw new ProblemException(Problems.TooLarge(limit));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Declares the JSON body and the answers to a bad one.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));
        foreach (int status in (int[])[StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType])
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }
    }

    private static JsonSerializerOptions SerializerOptions(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
}
