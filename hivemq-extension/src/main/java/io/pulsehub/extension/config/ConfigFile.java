package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code conf/config.xml} into setting name → text. Only the known settings are accepted, so a misspelt
 * element is an error instead of a silently ignored line.
 */
final class ConfigFile {

    static final String ROOT = "pulsehub-extension";

    private ConfigFile() {
    }

    static @NotNull Map<String, String> read(final @NotNull Path file, final @NotNull Set<String> known)
            throws InvalidConfigException {
        final Document document = parse(file);
        final Element root = document.getDocumentElement();
        if (!ROOT.equals(root.getTagName())) {
            throw new InvalidConfigException(file + ": root element must be <" + ROOT + ">, not <"
                    + root.getTagName() + ">");
        }
        final Map<String, String> settings = new LinkedHashMap<>();
        final NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            final Node node = children.item(i);
            if (node.getNodeType() == Node.TEXT_NODE && !node.getTextContent().isBlank()) {
                throw new InvalidConfigException(file + ": text outside of a setting element");
            }
            if (node.getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            final Element element = (Element) node;
            final String name = element.getTagName();
            if (!known.contains(name)) {
                throw new InvalidConfigException(file + ": unknown setting <" + name + ">; known are " + known);
            }
            if (hasChildElements(element)) {
                throw new InvalidConfigException(file + ": <" + name + "> must contain text only");
            }
            if (settings.put(name, element.getTextContent().trim()) != null) {
                throw new InvalidConfigException(file + ": <" + name + "> appears more than once");
            }
        }
        return settings;
    }

    private static @NotNull Document parse(final @NotNull Path file) throws InvalidConfigException {
        final DocumentBuilder builder = newBuilder();
        try (InputStream in = Files.newInputStream(file)) {
            return builder.parse(in);
        } catch (final NoSuchFileException e) {
            throw new InvalidConfigException(file + " does not exist; the extension folder is incomplete");
        } catch (final SAXException e) {
            throw new InvalidConfigException(file + " is not well-formed XML: " + e.getMessage());
        } catch (final IOException e) {
            throw new InvalidConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** A parser that resolves nothing outside the file: no DTDs, no external entities, no XInclude. */
    private static @NotNull DocumentBuilder newBuilder() throws InvalidConfigException {
        try {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            final DocumentBuilder builder = factory.newDocumentBuilder();
            // The default handler prints to stderr before throwing; the caller reports the problem instead.
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(final SAXParseException exception) {
                }

                @Override
                public void error(final SAXParseException exception) throws SAXException {
                    throw exception;
                }

                @Override
                public void fatalError(final SAXParseException exception) throws SAXException {
                    throw exception;
                }
            });
            return builder;
        } catch (final ParserConfigurationException | IllegalArgumentException e) {
            throw new InvalidConfigException("this JVM's XML parser cannot be configured safely: " + e.getMessage());
        }
    }

    private static boolean hasChildElements(final @NotNull Element element) {
        final NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeType() == Node.ELEMENT_NODE) {
                return true;
            }
        }
        return false;
    }
}
