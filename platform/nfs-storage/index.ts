export * from './nfs-storage-chart';
export * from './nfs-storage-connections';
export * from './nfs-storage-names';
export * from './nfs-storage-service';
