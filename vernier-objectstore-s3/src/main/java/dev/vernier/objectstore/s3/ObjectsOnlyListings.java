package dev.vernier.objectstore.s3;

import java.util.List;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

/**
 * jclouds' filesystem blob store lists every directory as an entry of its own ({@code train/}), which
 * S3Proxy answers as a key when the listing has no delimiter. On S3 a directory is no object: AWS CLI
 * v1's {@code s3 cp --recursive} would try to write {@code train/} as a file next to the directory it
 * makes for {@code train/x} and fail ({@code [Errno 20] Not a directory}). So recursive listings keep
 * objects only; listings with a delimiter keep directories, which S3Proxy answers as common prefixes.
 */
final class ObjectsOnlyListings extends ForwardingBlobStore {
    ObjectsOnlyListings(BlobStore blobStore) {
        super(blobStore);
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
        PageSet<? extends StorageMetadata> page = super.list(container, options);
        if (options.getDelimiter() != null || !options.isRecursive()) return page;
        List<? extends StorageMetadata> objects = page.stream().filter(ObjectsOnlyListings::isObject).toList();
        if (objects.size() == page.size()) return page;
        // the next marker stays the underlying page's: a page may shrink, never skip objects
        return new PageSetImpl<>(objects, page.getNextMarker());
    }

    private static boolean isObject(StorageMetadata entry) {
        return entry.getType() != StorageType.FOLDER && entry.getType() != StorageType.RELATIVE_PATH;
    }
}
