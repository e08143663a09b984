package dev.wif4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link of the user's Markdown resolves, anchors included. */
class LinkCheckTest {
    @Test
    void everyRelativeLinkInTheDocsResolves() {
        Path root = Repository.root();
        assertEquals(List.of(), new LinkCheck(root).check(Markdown.userDocs(root)), "broken links");
    }

    @Test
    void brokenLinksAndAnchorsAreReportedWithFileAndLine(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/K8S.md"), "# Kubernetes\n\n## The `token.path` setting\n\n## Troubleshooting\n");
        Files.writeString(dir.resolve("README.md"), String.join("\n",
                "# wif4j", "",
                "See [Kubernetes](docs/K8S.md), [its setting](docs/K8S.md#the-tokenpath-setting) and [top](#wif4j).",
                "A [missing page](docs/GCP.md) and [a missing anchor](docs/K8S.md#troubleshoot).",
                "![picture](docs/img/flow.png) and [outside](https://example.com/nothing) and `[code](nowhere.md)`.",
                "", "```md", "[in a fence](nowhere.md)", "```",
                "[ref]: docs/AWS.md", ""));
        assertEquals(List.of(
                "README.md:4: link docs/GCP.md: docs/GCP.md does not exist",
                "README.md:4: link docs/K8S.md#troubleshoot: docs/K8S.md has no heading with the anchor #troubleshoot",
                "README.md:5: link docs/img/flow.png: docs/img/flow.png does not exist",
                "README.md:10: link docs/AWS.md: docs/AWS.md does not exist"),
                new LinkCheck(dir).check(List.of(dir.resolve("README.md"), dir.resolve("docs/K8S.md"))));
    }
}
